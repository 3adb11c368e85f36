import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuthDatabase } from '../database/tables';

type Db = Kysely<AuthDatabase>;

export interface DueClaim {
  id: string;
  userId: string;
  email: string;
  attempts: number;
}

/**
 * Queues a claim of `email` for the account, due now; `db` is the transaction that confirmed the
 * address. Asked again for the same pair (a second confirmation), it is simply due again.
 */
export async function queueClaim(db: Db, userId: string, email: string, now: Date): Promise<void> {
  await db
    .insertInto('imported_author_claims')
    .values({ id: randomUUID(), user_id: userId, email, attempts: 0, due_at: now, last_error: null, created_at: now })
    .onConflict((conflict) => conflict.columns(['user_id', 'email']).doUpdateSet({ due_at: now, attempts: 0 }))
    .execute();
}

/**
 * Takes up to `limit` due claims for this node: their `due_at` moves to the end of a lease, so
 * another auth node (or this one's next pass) takes them only if this try never finishes.
 */
export async function takeDueClaims(db: Db, now: Date, leaseMs: number, limit: number): Promise<DueClaim[]> {
  const rows = await db
    .updateTable('imported_author_claims')
    .set((eb) => ({ due_at: new Date(now.getTime() + leaseMs), attempts: eb('attempts', '+', 1) }))
    .where('id', 'in', (qb) =>
      qb.selectFrom('imported_author_claims').select('id').where('due_at', '<=', now).orderBy('due_at').limit(limit).forUpdate().skipLocked(),
    )
    .returning(['id', 'user_id', 'email', 'attempts'])
    .execute();
  return rows.map((row) => ({ id: row.id, userId: row.user_id, email: row.email, attempts: row.attempts }));
}

/** Comments has answered: the claim is done (or refused for good). */
export async function finishClaim(db: Db, id: string): Promise<void> {
  await db.deleteFrom('imported_author_claims').where('id', '=', id).execute();
}

export async function postponeClaim(db: Db, id: string, dueAt: Date, reason: string): Promise<void> {
  await db.updateTable('imported_author_claims').set({ due_at: dueAt, last_error: reason }).where('id', '=', id).execute();
}
