import express from 'express';
import { connect, type DatabaseSource } from '@parley/db';
import { requireControlToken } from '@parley/platform';
import { loadCommentsConfig } from '../config';
import type { ServiceContext } from '../context';
import { schema } from '../database';
import type { CommentsDatabase } from '../database/tables';
import { deferredPublisher } from '../events/event-publisher';
import { importsService, type ImportsService } from './imports.service';

/** A batch is whole articles; one busy article's history can be a few MB of JSON. */
export const importBatchLimit = '64mb';

/**
 * `pnpm parley import|export` against a running embedded Parley: `POST /internal/control/import`
 * (a batch of articles) and `POST /internal/control/export` (the site as JSON lines, streamed),
 * guarded by the launcher's control token. Mounted before the app's 64 KB JSON parser: a batch
 * is bigger than any request the public API takes.
 */
export function importsControlRoutes(service: ImportsService, controlToken: string): express.Router {
  const router = express.Router();
  router.post('/control/import', requireControlToken(controlToken), express.json({ limit: importBatchLimit, strict: true }), async (req, res) => {
    res.json(await service.importBatch(req.body));
  });
  router.post('/control/export', requireControlToken(controlToken), express.json({ limit: '4kb', strict: true }), async (req, res) => {
    const lines = service.exportSite(req.body);
    // The first line proves the site exists (or throws a 404 through the error handler) before any header goes out.
    const first = await lines.next();
    res.status(200).type('application/x-ndjson');
    if (!first.done) res.write(first.value);
    for await (const chunk of lines) {
      if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
    }
    res.end();
  });
  return router;
}

/**
 * `POST /internal/imported-authors/claim` {userId, email, emailVerified: true}: the hook the
 * accounts side calls once it has verified that an account owns this email. Under /internal,
 * which the gateway never proxies.
 */
export function importedAuthorClaimRoutes(service: ImportsService): express.Router {
  const router = express.Router();
  router.post('/imported-authors/claim', async (req, res) => {
    res.json({ claimed: await service.claim(req.body) });
  });
  return router;
}

/** The imports service on a database of the command line's own (DATABASE_URL, or an embedded folder nobody holds). */
export function importsOn(database: DatabaseSource): { service: ImportsService; close(): Promise<void> } {
  const connection = connect<CommentsDatabase>(database);
  const context: ServiceContext = { db: connection.withSchema(schema), clock: () => new Date(), config: loadCommentsConfig({}), publisher: deferredPublisher() };
  return { service: importsService(context), close: () => connection.destroy() };
}
