import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { createSite, schema as commentsSchema } from '@parley/comments';
import type { CommentsDatabase } from '@parley/comments';
import { connect, openPrivateDatabase, openTestDatabase, type TestDatabase } from '@parley/db';
import { mailCatcher } from '@parley/mail';
import { freePort } from '@parley/platform';
import { schema as authSchema, seedDemoAccounts, type AuthDatabase } from '@parley/auth';
import { sql } from 'kysely';
import { startDemoSite } from '@parley/demo-site';
import { buildWidget } from '@parley/widget';
import { migrateAll, startStack, type Stack } from '../../scripts/stack';
import { launchChromium } from './browser';

/**
 * Everything a browser test needs, as a publisher runs it: Parley (gateway, auth, comments) with
 * a freshly built widget, and the demo news site on its own origin embedding it cross-origin.
 */
export interface BrowserFixture {
  browser: Browser;
  stack: Stack;
  demoUrl: string;
  gatewayUrl: string;
  /** The Parley site the demo pages embed in this fixture (its own, so test files never mix). */
  siteId: string;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * `options.mail`: mail is caught (`stack.mail`, and /dev/mail on the gateway) as under `pnpm start`,
 * on a database of the fixture's own so the catcher takes no other test's mail.
 */
export async function startBrowserFixture(env: Record<string, string> = {}, options: { mail?: boolean } = {}): Promise<BrowserFixture> {
  const widgetDir = await mkdtemp(join(tmpdir(), 'parley-widget-'));
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-browser-'));
  await buildWidget({ outdir: widgetDir });
  const database: TestDatabase = options.mail ? await openPrivateDatabase() : await openTestDatabase();
  if (options.mail) await migrateAll(database.source);
  const [gatewayPort, demoPort] = [await freePort(), await freePort()];
  const demoOrigin = `http://127.0.0.1:${demoPort}`;
  const siteId = `browser-${randomUUID().slice(0, 8)}`;
  const db = connect<CommentsDatabase>(database.source);
  await createSite(db.withSchema(commentsSchema), { id: siteId, name: 'The Kestrelford Courier', origins: [demoOrigin] });
  await db.destroy();
  // moderator@example.com and admin@example.com (password parley-demo), for the console.
  await seedDemoAccounts(database.source);
  // The demo moderator moderates the demo site; here they moderate this fixture's site too.
  await moderateAlso(database, 'moderator@example.com', siteId);
  const stack = await startStack({
    database: database.source,
    dataDir,
    ports: { gateway: gatewayPort, auth: 0, comments: 0 },
    logLevel: 'silent',
    env: { WIDGET_DIR: widgetDir, COMMENT_RATE_LIMIT: '10000', REGISTER_RATE_LIMIT_PER_IP: '1000', ...env },
    ...(options.mail ? { mailCatcher: mailCatcher() } : {}),
  });
  const demo = await startDemoSite({ port: demoPort, parleyUrl: stack.urls.gateway, demoUrl: demoOrigin, siteId });
  const browser = await launchChromium();
  return {
    browser,
    stack,
    demoUrl: demo.url,
    gatewayUrl: stack.urls.gateway,
    siteId,
    database,
    async close() {
      await browser.close();
      await demo.close();
      await stack.stop();
      await database.close();
      await rm(widgetDir, { recursive: true, force: true });
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Adds a site to a moderator's sites, as an admin granting it would (a new login carries it). */
export async function moderateAlso(database: TestDatabase, email: string, siteId: string): Promise<void> {
  const db = connect<AuthDatabase>(database.source).withSchema(authSchema);
  try {
    await db
      .updateTable('users')
      .set((eb) => ({ moderated_sites: sql<string[]>`array_append(${eb.ref('moderated_sites')}, ${siteId})` }))
      .where('email_normalized', '=', email)
      .execute();
  } finally {
    await db.destroy();
  }
}
