import express from 'express';
import { UserIdParams } from '@parley/contracts';
import { notFound, toFieldIssues, validationFailed } from '@parley/platform';
import type { UsersService } from './users.service';

/**
 * `GET /internal/users/:id`: whether an account exists and its role, for the comments service
 * (a moderator may not ban an admin or someone who does not exist). Under /internal, which the
 * gateway never proxies; it answers no email.
 */
export function internalUsersRoutes(users: UsersService): express.Router {
  const router = express.Router();
  router.get('/users/:id', async (req, res) => {
    const params = UserIdParams.safeParse(req.params);
    if (!params.success) throw validationFailed(toFieldIssues(params.error));
    const user = await users.findById(params.data.id);
    if (!user) throw notFound('user_not_found', 'There is no account with that id.');
    res.set('Cache-Control', 'no-store').json({ user: { id: user.id, role: user.role, displayName: user.displayName } });
  });
  return router;
}
