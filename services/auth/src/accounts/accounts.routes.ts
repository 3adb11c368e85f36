import express, { type RequestHandler } from 'express';
import { LoginRequest, RegisterRequest } from '@parley/contracts';
import { unauthenticated, validated, type RateLimiter } from '@parley/platform';
import { limitPerClient } from '../rate-limits';
import type { AccountsService } from './accounts.service';

export interface AccountsRoutesDeps {
  accounts: AccountsService;
  registerPerIp: RateLimiter;
  loginPerIp: RateLimiter;
  authenticate: RequestHandler;
}

export function accountsRoutes(deps: AccountsRoutesDeps): express.Router {
  const router = express.Router();

  router.post(
    '/register',
    limitPerClient(deps.registerPerIp),
    validated({ body: RegisterRequest }, async ({ body }, _req, res) => {
      const session = await deps.accounts.register(body);
      res.status(201).set('Cache-Control', 'no-store').json(session);
    }),
  );

  router.post(
    '/login',
    limitPerClient(deps.loginPerIp),
    validated({ body: LoginRequest }, async ({ body }, _req, res) => {
      const session = await deps.accounts.login(body);
      res.set('Cache-Control', 'no-store').json(session);
    }),
  );

  router.get('/me', deps.authenticate, async (req, res) => {
    if (!req.viewer) throw unauthenticated();
    const user = await deps.accounts.me(req.viewer.id);
    res.set('Cache-Control', 'no-store').json({ user });
  });

  return router;
}
