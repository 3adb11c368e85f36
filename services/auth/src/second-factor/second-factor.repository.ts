import type { Kysely } from 'kysely';
import type { AuthDatabase } from '../database/tables';

type Db = Kysely<AuthDatabase>;

export async function findSecondFactor(db: Db, userId: string) {
  return db.selectFrom('second_factors').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** Starts (or restarts) an enrolment that is not confirmed yet; a confirmed factor is left alone (undefined). */
export async function startEnrolment(db: Db, userId: string, secret: string, now: Date): Promise<boolean> {
  const row = await db
    .insertInto('second_factors')
    .values({ user_id: userId, totp_secret: secret, confirmed_at: null, last_used_step: null, created_at: now })
    .onConflict((conflict) =>
      conflict.column('user_id').doUpdateSet({ totp_secret: secret, created_at: now, last_used_step: null }).where('second_factors.confirmed_at', 'is', null),
    )
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Takes a time step for the account, atomically: succeeds only if no code of this step or a later
 * one was accepted before, so a code seen over someone's shoulder (or replayed) is refused.
 */
export async function takeTimeStep(db: Db, userId: string, step: number, confirm?: Date): Promise<boolean> {
  const row = await db
    .updateTable('second_factors')
    .set({ last_used_step: step, ...(confirm ? { confirmed_at: confirm } : {}) })
    .where('user_id', '=', userId)
    // Confirming: only an enrolment not confirmed yet (two confirmations racing make one set of recovery codes).
    .$if(confirm !== undefined, (qb) => qb.where('confirmed_at', 'is', null))
    .where((eb) => eb.or([eb('last_used_step', 'is', null), eb('last_used_step', '<', String(step) as never)]))
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function replaceRecoveryCodes(db: Db, userId: string, hashes: readonly string[]): Promise<void> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  await db.insertInto('recovery_codes').values(hashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null }))).execute();
}

/** Spends a recovery code, atomically: true once, false for an unknown or spent code. */
export async function spendRecoveryCode(db: Db, userId: string, hash: string, now: Date): Promise<boolean> {
  const row = await db
    .updateTable('recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', hash)
    .where('used_at', 'is', null)
    .returning('user_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function countRecoveryCodesLeft(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<string>().as('left'))
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.left);
}

/** Removes the factor and its recovery codes; true if there was one. */
export async function deleteSecondFactor(db: Db, userId: string): Promise<boolean> {
  await db.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
  const row = await db.deleteFrom('second_factors').where('user_id', '=', userId).returning('user_id').executeTakeFirst();
  return row !== undefined;
}
