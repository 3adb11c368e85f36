import express, { type RequestHandler } from 'express';
import { FindUserQuery, SetRoleRequest, UserIdParams } from '@parley/contracts';
import { validated } from '@parley/platform';
import { requireRole } from '@parley/tokens';
import type { UsersService } from './users.service';

export function usersRoutes(deps: { users: UsersService; authenticate: RequestHandler }): express.Router {
  const router = express.Router();
  const adminOnly = [deps.authenticate, requireRole('admin')];

  router.get(
    '/users',
    ...adminOnly,
    validated({ query: FindUserQuery }, async ({ query }, _req, res) => {
      res.set('Cache-Control', 'no-store').json({ user: await deps.users.findByEmail(query.email) });
    }),
  );

  router.put(
    '/users/:id/role',
    ...adminOnly,
    validated({ params: UserIdParams, body: SetRoleRequest }, async ({ params, body }, req, res) => {
      const user = await deps.users.setRole(req.viewer!.id, params.id, body.role);
      req.log.info({ actor: req.viewer!.id, target: user.id, role: user.role }, 'role changed');
      res.json({ user });
    }),
  );

  return router;
}
