import type { Kysely } from 'kysely';
import type { CommentsConfig } from './config';
import type { CommentsDatabase } from './database/tables';
import type { EventPublisher } from './events/event-publisher';

/** What every feature service is built from: the database, the clock and the configuration. */
export interface ServiceContext {
  db: Kysely<CommentsDatabase>;
  /** The one source of "now" for timestamps and the edit window, so tests can move time. */
  clock: () => Date;
  config: CommentsConfig;
  /** Receives every committed article event (see writeWithEvents). */
  publisher: EventPublisher;
}
