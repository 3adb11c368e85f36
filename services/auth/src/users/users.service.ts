import type { Kysely } from 'kysely';
import type { Role, User } from '@parley/contracts';
import { forbidden, notFound } from '@parley/platform';
import { findUserByEmail, findUserById } from '../accounts/accounts.repository';
import { normalizeEmail, presentUser, toAccount } from '../accounts/user';
import type { AuthDatabase } from '../database/tables';
import { revokeUserSessions } from '../sessions/sessions.repository';
import { updateUserRole } from './users.repository';

export interface UsersServiceDeps {
  db: Kysely<AuthDatabase>;
  clock: () => Date;
}

export type UsersService = ReturnType<typeof usersService>;

const userNotFound = () => notFound('not_found', 'There is no account with that id or email.');

/**
 * Account administration: admins look accounts up and grant or revoke roles. A role change ends
 * the user's sessions: their tokens are refused everywhere within seconds (the revocation feed),
 * and they log in again with the new role.
 */
export function usersService(deps: UsersServiceDeps) {
  return {
    async findById(id: string): Promise<User | undefined> {
      const row = await findUserById(deps.db, id);
      return row ? presentUser(toAccount(row)) : undefined;
    },

    async findByEmail(email: string): Promise<User> {
      const row = await findUserByEmail(deps.db, normalizeEmail(email));
      if (!row) throw userNotFound();
      return presentUser(toAccount(row));
    },

    async setRole(actorId: string, userId: string, role: Role, sites: readonly string[] = []): Promise<User> {
      // An admin demoting themselves could leave the deployment without any admin.
      if (actorId === userId) throw forbidden('You cannot change your own role; ask another admin.');
      // The token says admin; the account must still be one (a revoked admin's token lives up to 15 min).
      const actor = await findUserById(deps.db, actorId);
      if (actor?.role !== 'admin') throw forbidden('This needs an admin account.');
      const now = deps.clock();
      return deps.db.transaction().execute(async (trx) => {
        const row = await updateUserRole(trx, userId, role, sites, now);
        if (!row) throw userNotFound();
        // The old role lives on in the user's access tokens: end their sessions, so every service
        // refuses those tokens within seconds and the next login carries the new role.
        await revokeUserSessions(trx, userId, now);
        return presentUser(toAccount(row));
      });
    },
  };
}
