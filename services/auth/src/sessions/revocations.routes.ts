import express from 'express';
import { RevokedSessionsQuery } from '@parley/contracts';
import { toFieldIssues, validationFailed } from '@parley/platform';
import type { SessionsService } from './sessions.service';

/**
 * `/internal/revoked-sessions?since=…`: the sessions that ended since a time, polled by the comments
 * nodes so a logout, a reused refresh token or a role change is refused there within seconds.
 * Under /internal, which the gateway never proxies.
 */
export function internalRevocationRoutes(sessions: SessionsService): express.Router {
  const router = express.Router();
  router.get('/revoked-sessions', async (req, res) => {
    const query = RevokedSessionsQuery.safeParse({ ...req.query });
    if (!query.success) throw validationFailed(toFieldIssues(query.error));
    res.set('Cache-Control', 'no-store').json(await sessions.revokedSince(new Date(query.data.since)));
  });
  return router;
}
