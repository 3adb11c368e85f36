import type { ModerationQueueEvent } from '@parley/contracts';
import type { SignalLive } from '../events/event-publisher';

/** Tells the moderation room (after commit) that a queue changed. */
export function queueChanged(signal: SignalLive, site: string, commentId: string, type: ModerationQueueEvent['type'], change: ModerationQueueEvent['change']): void {
  signal({ kind: 'moderation:queue', event: { type, commentId, change, site } });
}
