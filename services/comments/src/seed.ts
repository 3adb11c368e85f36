import { connect, type DatabaseSource } from '@parley/db';
import { schema } from './database';
import type { CommentsDatabase } from './database/tables';
import { findSite, upsertSite } from './sites/sites.repository';

export const demoSiteId = 'demo';

/**
 * Makes sure the demo publisher site exists and allows these origins (added to any it already
 * allows, so a launcher on another port or a test's page server never locks out another). Safe
 * to run on every start: an existing demo site is updated, never duplicated, its articles kept.
 */
export async function seedDemoSite(database: DatabaseSource, opts: { origins: string[] }): Promise<void> {
  const connection = connect<CommentsDatabase>(database);
  try {
    const db = connection.withSchema(schema);
    const existing = await findSite(db, demoSiteId);
    const origins = [...new Set([...(existing?.allowed_origins ?? []), ...opts.origins])];
    await upsertSite(db, { id: demoSiteId, name: 'The Kestrelford Courier', origins, settings: existing?.settings ?? {} });
  } finally {
    await connection.destroy();
  }
}
