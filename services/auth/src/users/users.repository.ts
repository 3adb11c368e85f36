import type { Kysely } from 'kysely';
import type { AuthDatabase } from '../database/tables';
import type { UserRow } from '../accounts/user';

export async function updateUserRole(db: Kysely<AuthDatabase>, id: string, role: UserRow['role'], at: Date): Promise<UserRow | undefined> {
  return db.updateTable('users').set({ role, updated_at: at }).where('id', '=', id).returningAll().executeTakeFirst();
}
