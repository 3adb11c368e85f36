import express from 'express';
import { SiteId } from '@parley/contracts';
import { notFound } from '@parley/platform';
import type { Db } from '../database/tables';
import { findSite } from './sites.repository';

/**
 * `GET /internal/sites/:id`: whether a site exists, its name, settings and allowed origins, for the
 * auth service (publisher sign-on keys belong to a site; OpenID Connect hands sessions only to the
 * site's origins). Under /internal, which the gateway never proxies.
 */
export function internalSiteRoutes(db: Db): express.Router {
  const router = express.Router();
  router.get('/sites/:id', async (req, res) => {
    const id = SiteId.safeParse(req.params.id);
    const site = id.success ? await findSite(db, id.data) : undefined;
    if (!site) throw notFound('site_not_found', 'There is no site with that id.');
    res.set('Cache-Control', 'no-store').json({ site: { id: site.id, name: site.name, settings: site.settings, origins: site.allowed_origins } });
  });
  return router;
}
