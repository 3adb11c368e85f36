import { connect, type DatabaseSource } from '@parley/db';
import { schema } from './database';
import type { CommentsDatabase } from './database/tables';
import { upsertSite } from './sites/sites.repository';

export const demoSiteId = 'demo';

/**
 * Makes sure the demo publisher site exists with these allowed origins. Safe to run on every
 * start: an existing demo site is updated, never duplicated, and its articles are kept.
 */
export async function seedDemoSite(database: DatabaseSource, opts: { origins: string[] }): Promise<void> {
  const connection = connect<CommentsDatabase>(database);
  try {
    await upsertSite(connection.withSchema(schema), { id: demoSiteId, name: 'The Daily Parley', origins: opts.origins });
  } finally {
    await connection.destroy();
  }
}
