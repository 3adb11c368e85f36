import express from 'express';
import type { SitesService } from './sites.service';

/**
 * Service-to-service routes under /internal. The gateway never proxies /internal, so only
 * processes inside the deployment can reach them.
 */
export function internalSitesRoutes(sites: SitesService): express.Router {
  const router = express.Router();
  router.get('/allowed-origins', async (_req, res, next) => {
    try {
      res.json(await sites.allowedOrigins());
    } catch (error) {
      next(error);
    }
  });
  return router;
}
