import type { Insertable, Kysely } from 'kysely';
import type { AuthDatabase, UsersTable } from '../database/tables';
import type { UserRow } from './user';

type Db = Kysely<AuthDatabase>;

/** Inserts an account; returns undefined when the normalized email is already taken. */
export async function insertUser(db: Db, user: Insertable<UsersTable>): Promise<UserRow | undefined> {
  return db
    .insertInto('users')
    .values(user)
    .onConflict((conflict) => conflict.column('email_normalized').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export async function findUserByEmail(db: Db, emailNormalized: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('email_normalized', '=', emailNormalized).executeTakeFirst();
}

export async function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether the account logged in successfully from this (hashed) address within `since`. */
export async function isKnownLoginAddress(db: Db, userId: string, addressHash: string, since: Date): Promise<boolean> {
  const row = await db
    .selectFrom('login_addresses')
    .select('user_id')
    .where('user_id', '=', userId)
    .where('address_hash', '=', addressHash)
    .where('last_success_at', '>', since)
    .executeTakeFirst();
  return row !== undefined;
}

export async function rememberLoginAddress(db: Db, userId: string, addressHash: string, at: Date): Promise<void> {
  await db
    .insertInto('login_addresses')
    .values({ user_id: userId, address_hash: addressHash, last_success_at: at })
    .onConflict((conflict) => conflict.columns(['user_id', 'address_hash']).doUpdateSet({ last_success_at: at }))
    .execute();
}
