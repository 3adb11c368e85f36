import type { Server } from 'socket.io';
import type { ArticleEvent, ClientToServerEvents, ServerToClientEvents } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import type { EventPublisher, LiveSignal } from '../events/event-publisher';
import { articleRoom, moderationRoom, siteModerationRoom, userRoom } from './rooms';

/**
 * Pushes committed events to the article's room, on every node (through the Redis adapter when
 * one is configured), under their `type` and in the same shape a join ack replays them: what was
 * written to `article_events` plus site, article and seq — the same presented shapes REST returns.
 */
export function socketPublisher(io: Server<ClientToServerEvents, ServerToClientEvents>, logger: Logger): EventPublisher {
  return {
    publish(events: readonly ArticleEvent[], signals: readonly LiveSignal[] = []) {
      for (const event of events) {
        try {
          pushArticleEvent(io, event);
        } catch (error) {
          // A failed push is not a failed write: readers catch up from article_events on rejoin.
          logger.warn({ err: (error as Error).message, seq: event.seq }, 'live event not pushed');
        }
      }
      for (const signal of signals) {
        try {
          if (signal.kind === 'moderation:queue') io.to([moderationRoom, siteModerationRoom(signal.event.site)]).emit('moderation:queue', signal.event);
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

/**
 * Emits the event under its own name. Narrowed name by name, so each push is checked against the
 * contract's listener for that name (one emit with the whole union is too wide for socket.io's map).
 */
function pushArticleEvent(io: Server<ClientToServerEvents, ServerToClientEvents>, event: ArticleEvent): void {
  const room = io.to(articleRoom(event.site, event.article));
  if (event.type === 'comment:created') room.emit(event.type, event);
  else if (event.type === 'comment:updated') room.emit(event.type, event);
  else if (event.type === 'comment:removed') room.emit(event.type, event);
  else if (event.type === 'reaction:updated') room.emit(event.type, event);
  else room.emit(event.type, event);
}
