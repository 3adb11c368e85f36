import { existsSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import { notFound } from '@parley/platform';

/**
 * The publisher-facing scripts: `/embed.js` (the loader a publisher's page includes) and
 * `/widget/*` (the widget module and its lazily loaded chunks). They are public, loaded by pages on
 * any origin — as classic and as module scripts, so with `Access-Control-Allow-Origin: *` — and
 * cached briefly: the file names a publisher embeds never change.
 */
export function widgetFiles(dir: string): express.Router {
  const router = express.Router();
  const built = () => existsSync(path.join(dir, 'embed.js'));
  const setHeaders = (res: express.Response) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Cache-Control', 'public, max-age=300');
    res.setHeader('X-Content-Type-Options', 'nosniff');
  };

  router.use(['/embed.js', '/widget'], (_req, _res, next) => {
    if (built()) return next();
    next(notFound('route_not_found', 'The widget is not built; run `pnpm --filter @parley/widget build` (pnpm start does it).'));
  });
  router.get('/embed.js', (_req, res, next) => {
    setHeaders(res);
    res.sendFile(path.join(dir, 'embed.js'), { dotfiles: 'deny' }, (error) => error && next(error));
  });
  router.use('/widget', express.static(path.join(dir, 'widget'), { index: false, dotfiles: 'deny', fallthrough: true, setHeaders }));

  // The moderator console: same-origin with the API, never embedded elsewhere (frame-ancestors 'none').
  router.get(['/moderate', '/moderate/'], (_req, res, next) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(path.join(dir, 'console', 'index.html'), (error) => error && next(notFound('route_not_found', 'The console is not built; run `pnpm --filter @parley/widget build`.')));
  });
  router.use('/moderate', express.static(path.join(dir, 'console'), { index: false, dotfiles: 'deny', fallthrough: true, maxAge: '5m' }));
  return router;
}
