import type { Server } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import type { RecordedEvent } from '../events/article-events';
import type { EventPublisher, LiveSignal } from '../events/event-publisher';
import { articleRoom, moderationRoom, userRoom } from './rooms';

/**
 * Pushes committed events to the article's room, on every node (through the Redis adapter when
 * one is configured). The payload is what was written to `article_events`, plus site, article and
 * seq — the same presented shapes REST returns.
 */
export function socketPublisher(io: Server<ClientToServerEvents, ServerToClientEvents>, logger: Logger): EventPublisher {
  return {
    publish(events: readonly RecordedEvent[], signals: readonly LiveSignal[] = []) {
      for (const event of events) {
        try {
          const message = { site: event.site, article: event.article, seq: event.seq, ...event.payload };
          // The event name and payload come from article_events, whose types match the contract's map.
          io.to(articleRoom(event.site, event.article)).emit(event.type, message as never);
        } catch (error) {
          // A failed push is not a failed write: readers catch up from article_events on rejoin.
          logger.warn({ err: (error as Error).message, seq: event.seq }, 'live event not pushed');
        }
      }
      for (const signal of signals) {
        try {
          if (signal.kind === 'moderation:queue') io.to(moderationRoom).emit('moderation:queue', signal.event);
          else if (signal.kind === 'session:banned') io.to(userRoom(signal.userId)).emit('session:banned', signal.event);
          else io.to(userRoom(signal.userId)).emit('session:unbanned', signal.event);
        } catch (error) {
          // Signals are hints (the console reloads its queue, the server enforces bans on every request).
          logger.warn({ err: (error as Error).message, kind: signal.kind }, 'live signal not pushed');
        }
      }
    },
  };
}
