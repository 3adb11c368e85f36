import express from 'express';
import { requireControlToken } from '@parley/platform';
import type { ImportsService } from './imports.service';

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

export { importsOn } from './imports-on';
