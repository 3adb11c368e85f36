import { connect, type DatabaseSource } from '@parley/db';
import { loadCommentsConfig } from '../config';
import type { ServiceContext } from '../context';
import { schema } from '../database';
import type { CommentsDatabase } from '../database/tables';
import { deferredPublisher } from '../events/event-publisher';
import { importsService, type ImportsService } from './imports.service';

/** The imports service on a database of the command line's own (DATABASE_URL, or an embedded folder nobody holds). */
export function importsOn(database: DatabaseSource): { service: ImportsService; close(): Promise<void> } {
  const connection = connect<CommentsDatabase>(database);
  const context: ServiceContext = { db: connection.withSchema(schema), clock: () => new Date(), config: loadCommentsConfig({}), publisher: deferredPublisher() };
  return { service: importsService(context), close: () => connection.destroy() };
}
