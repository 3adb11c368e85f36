import type { Kysely } from 'kysely';
import { AppError } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import { revokeUserSessions } from '../sessions/sessions.repository';
import { findUserById } from './accounts.repository';
import type { PasswordHasher } from './passwords';

export const passwordRequired = () => new AppError(401, 'invalid_credentials', 'Confirm with your password to delete the account.');

/**
 * Deletes an account: every session ends (the revocation feed tells comments), and the row keeps
 * nothing but its id — no email, name, password, sign-on identity or settings — so the ids in
 * moderation logs and bans still point somewhere, at nobody. Links and queued mail go too.
 */
export async function deleteAccount(
  deps: { db: Kysely<AuthDatabase>; passwords: PasswordHasher; clock: () => Date },
  userId: string,
  password: string | undefined,
): Promise<void> {
  const user = await findUserById(deps.db, userId);
  if (!user) return;
  if (user.password_hash !== null) {
    if (!password || !(await deps.passwords.verify(user.password_hash, password))) throw passwordRequired();
  }
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await revokeUserSessions(trx, userId, now);
    await trx.deleteFrom('login_addresses').where('user_id', '=', userId).execute();
    await trx.deleteFrom('second_factors').where('user_id', '=', userId).execute();
    await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
    await trx.deleteFrom('email_links').where('user_id', '=', userId).execute();
    // A claim not yet delivered would hand imported comments to an account that no longer exists.
    await trx.deleteFrom('imported_author_claims').where('user_id', '=', userId).execute();
    await trx.deleteFrom('mail_outbox').where('to_address', '=', user.email).where('status', 'in', ['pending', 'failed']).execute();
    await trx
      .updateTable('users')
      .set({
        email: `deleted-${userId}@deleted.invalid`,
        email_normalized: null,
        password_hash: null,
        display_name: 'Deleted account',
        role: 'reader',
        moderated_sites: [],
        // No password and no sign-on identity: `deleted` is nobody's issuer, so nothing logs in as it.
        identity_issuer: 'deleted',
        identity_subject: userId,
        identity_site: null,
        avatar_url: null,
        badge: null,
        email_verified_at: null,
        notify_replies: false,
        notify_follows: false,
        notify_queue: false,
        updated_at: now,
      })
      .where('id', '=', userId)
      .execute();
  });
}
