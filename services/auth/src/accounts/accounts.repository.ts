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
