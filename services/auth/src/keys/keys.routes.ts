import express from 'express';
import type { JwksResponse } from '@parley/contracts';
import type { PublicJwk } from '@parley/tokens';

/**
 * The public keys other services verify access tokens with. Cached briefly: verifiers refetch on
 * an unknown key id anyway, so a rotated key is picked up within minutes.
 */
export function keysRoutes(deps: { keys: PublicJwk[] }): express.Router {
  const router = express.Router();
  const body: JwksResponse = { keys: deps.keys };
  router.get('/.well-known/jwks.json', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(body);
  });
  return router;
}
