import { FindUserQuery, SetRoleRequest, UserIdParams, UserResponse } from '@parley/contracts';
import { noStore, route } from '../services';

export const usersRoutes = [
  route({
    method: 'get',
    path: '/auth/users',
    operationId: 'findUser',
    summary: 'Find an account by email',
    tag: 'Users',
    auth: 'required',
    allow: 'users.find',
    query: FindUserQuery,
    headers: noStore,
    response: { status: 200, schema: UserResponse, description: 'The account.' },
    errors: { 404: ['not_found'] },
    handler: async ({ query }, { users }) => ({ user: await users.findByEmail(query.email) }),
  }),
  route({
    method: 'put',
    path: '/auth/users/:id/role',
    operationId: 'setUserRole',
    summary: 'Grant or revoke a role (moderators: of which sites)',
    description:
      'Admins only, and never on their own account. A moderator moderates the sites in `sites` (`["*"]`: every site); admins are global. Ends the user\'s sessions, so every service refuses their old tokens within seconds and their next login carries the change.',
    tag: 'Users',
    auth: 'required',
    allow: 'users.setRole',
    params: UserIdParams,
    body: SetRoleRequest,
    response: { status: 200, schema: UserResponse, description: 'The account with its new role.' },
    errors: { 403: ['forbidden'], 404: ['not_found'] },
    handler: async ({ viewer, params, body, log }, { users }) => {
      const user = await users.setRole(viewer.id, params.id, body.role, body.sites);
      log.info({ actor: viewer.id, target: user.id, role: user.role, sites: user.sites }, 'role changed');
      return { user };
    },
  }),
];
