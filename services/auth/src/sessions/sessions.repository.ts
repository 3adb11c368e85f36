import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AuthDatabase, RefreshTokensTable } from '../database/tables';

type Db = Kysely<AuthDatabase>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;

export async function insertRefreshToken(db: Db, token: Insertable<RefreshTokensTable>): Promise<void> {
  await db.insertInto('refresh_tokens').values(token).execute();
}

/**
 * Marks a live token spent and returns it, in one statement, so two concurrent refreshes with
 * the same token can't both succeed: the loser finds it spent and is treated as reuse.
 */
export async function spendRefreshToken(db: Db, tokenHash: string, now: Date): Promise<RefreshTokenRow | undefined> {
  return db
    .updateTable('refresh_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', tokenHash)
    .where('used_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returningAll()
    .executeTakeFirst();
}

export async function findRefreshToken(db: Db, tokenHash: string): Promise<RefreshTokenRow | undefined> {
  return db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
}

export async function revokeFamily(db: Db, familyId: string, now: Date): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every session of a user (a role change: the old role's tokens must stop working at once). */
export async function revokeUserSessions(db: Db, userId: string, now: Date): Promise<void> {
  await db
    .updateTable('refresh_tokens')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Whether a session (refresh-token family) has been revoked. */
export async function isFamilyRevoked(db: Db, familyId: string): Promise<boolean> {
  const row = await db
    .selectFrom('refresh_tokens')
    .select('id')
    .where('family_id', '=', familyId)
    .where('revoked_at', 'is not', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

/** Sessions revoked after `since`, oldest first: what other services poll to refuse their tokens. */
export async function listRevokedFamilies(db: Db, since: Date, limit: number): Promise<{ familyId: string; revokedAt: Date }[]> {
  const rows = await db
    .selectFrom('refresh_tokens')
    .select(['family_id', (eb) => eb.fn.max('revoked_at').as('revoked_at')])
    // Inclusive: a revocation in the same millisecond as the cursor is sent again rather than missed.
    .where('revoked_at', '>=', since)
    .groupBy('family_id')
    .orderBy('revoked_at')
    .limit(limit)
    .execute();
  return rows.map((row) => ({ familyId: row.family_id, revokedAt: new Date(row.revoked_at as Date) }));
}
