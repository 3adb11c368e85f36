import type { Server } from 'socket.io';
import type { ArticleEvent, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import type { EventPublisher, LiveSignal } from '../events/event-publisher';
import type { LiveRelay } from './live.relay';
import { moderationRoom, siteModerationRoom, userRoom } from './rooms';

/**
 * What a committed write hands to the live stream. Article events only wake this node's relay,
 * which pushes them from the log in seq order (every other node's relay hears the same commit
 * through PostgreSQL NOTIFY): a push never depends on this process living past its commit.
 * Signals (queue changes, ban and reply notices) are not in the log; they go to their rooms on every node
 * through the adapter (Redis with several nodes) — or, while Redis is away, to this node's sockets
 * only and at once (the adapter would hold even the local emit until Redis answers).
 */
export function socketPublisher(
  io: Server<ClientToServerEvents, ServerToClientEvents>,
  relay: LiveRelay,
  logger: Logger,
  crossNode: () => boolean = () => true,
): EventPublisher {
  return {
    publish(events: readonly ArticleEvent[], signals: readonly LiveSignal[] = []) {
      for (const event of events) relay.wake(event.site, event.article, event.seq);
      const to = (rooms: string | string[]) => (crossNode() ? io.to(rooms) : io.local.to(rooms));
      for (const signal of signals) {
        try {
          if (signal.kind === 'moderation:queue') to([moderationRoom, siteModerationRoom(signal.event.site)]).emit('moderation:queue', signal.event);
          else if (signal.kind === 'session:banned') to(userRoom(signal.userId)).emit('session:banned', signal.event);
          else if (signal.kind === 'session:unbanned') to(userRoom(signal.userId)).emit('session:unbanned', signal.event);
          else to(userRoom(signal.userId)).emit('reply:received', signal.event);
        } catch (error) {
          // Signals are hints (the console reloads its queue, the server enforces bans on every request).
          logger.warn({ err: (error as Error).message, kind: signal.kind }, 'live signal not pushed');
        }
      }
    },
  };
}
