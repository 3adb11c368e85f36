import express from 'express';
import { RefreshTokenRequest } from '@parley/contracts';
import { validated } from '@parley/platform';
import type { SessionsService } from './sessions.service';

export function sessionsRoutes(deps: { sessions: SessionsService }): express.Router {
  const router = express.Router();

  router.post(
    '/refresh',
    validated({ body: RefreshTokenRequest }, async ({ body }, _req, res) => {
      const session = await deps.sessions.refresh(body.refreshToken);
      res.set('Cache-Control', 'no-store').json(session);
    }),
  );

  router.post(
    '/logout',
    validated({ body: RefreshTokenRequest }, async ({ body }, _req, res) => {
      await deps.sessions.logout(body.refreshToken);
      res.status(204).end();
    }),
  );

  return router;
}
