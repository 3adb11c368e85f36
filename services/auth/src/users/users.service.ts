import type { Kysely } from 'kysely';
import type { Role, User } from '@parley/contracts';
import { forbidden, notFound } from '@parley/platform';
import { findUserByEmail, findUserById } from '../accounts/accounts.repository';
import { normalizeEmail, presentUser, toAccount } from '../accounts/user';
import type { AuthDatabase } from '../database/tables';
import { updateUserRole } from './users.repository';

export interface UsersServiceDeps {
  db: Kysely<AuthDatabase>;
  clock: () => Date;
}

export type UsersService = ReturnType<typeof usersService>;

const userNotFound = () => notFound('not_found', 'There is no account with that id or email.');

/**
 * Account administration: admins look accounts up and grant or revoke roles. A new role shows in
 * the next access token (at the latest after the next refresh, within the token lifetime), and the
 * comments service checks the role on every moderation call.
 */
export function usersService(deps: UsersServiceDeps) {
  return {
    async findByEmail(email: string): Promise<User> {
      const row = await findUserByEmail(deps.db, normalizeEmail(email));
      if (!row) throw userNotFound();
      return presentUser(toAccount(row));
    },

    async setRole(actorId: string, userId: string, role: Role): Promise<User> {
      // An admin demoting themselves could leave the deployment without any admin.
      if (actorId === userId) throw forbidden('You cannot change your own role; ask another admin.');
      // The token says admin; the account must still be one (a revoked admin's token lives up to 15 min).
      const actor = await findUserById(deps.db, actorId);
      if (actor?.role !== 'admin') throw forbidden('This needs an admin account.');
      const row = await updateUserRole(deps.db, userId, role, deps.clock());
      if (!row) throw userNotFound();
      return presentUser(toAccount(row));
    },
  };
}
