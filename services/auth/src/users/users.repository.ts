import type { Kysely } from 'kysely';
import type { AuthDatabase } from '../database/tables';
import type { UserRow } from '../accounts/user';

/** Sets a role and, for a moderator, the sites they moderate (cleared for other roles). */
export async function updateUserRole(
  db: Kysely<AuthDatabase>,
  id: string,
  role: UserRow['role'],
  sites: readonly string[],
  at: Date,
): Promise<UserRow | undefined> {
  return db
    .updateTable('users')
    .set({ role, moderated_sites: role === 'moderator' ? [...new Set(sites)] : [], updated_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}
