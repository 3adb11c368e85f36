import type { Kysely } from 'kysely';
import { isStaff, type ChangePasswordRequest, type UpdateProfileRequest, type UserResponse } from '@parley/contracts';
import { pickLocale } from '@parley/mail';
import { AppError, invalidToken, validationFailed, type RateLimiter } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import type { AuthDatabase } from '../database/tables';
import { spendOpenLinks } from '../email-links/email-links.repository';
import type { Mailer } from '../mail/mailer';
import { findUserById } from './accounts.repository';
import { isCommonPassword } from './common-passwords';
import { imitatesStaff } from './display-names';
import type { PasswordHasher } from './passwords';
import { presentUser, toAccount, type UserRow } from './user';

export interface AccountSettingsDeps {
  db: Kysely<AuthDatabase>;
  passwords: PasswordHasher;
  mailer: Pick<Mailer, 'queue' | 'kick'>;
  /** Wrong current passwords per account: a stolen session cannot guess the password behind it. */
  wrongPasswords: RateLimiter;
  clock: () => Date;
}

/** A publisher's reader: name and sign-in belong to the publisher's account system (ADR 0011). */
export const managedByPublisher = (what: 'name' | 'password') =>
  new AppError(
    403,
    'managed_by_publisher',
    what === 'name'
      ? 'This account signs in through its publisher, which sets its name; change it on the publisher’s site.'
      : 'This account signs in through its publisher and has no Parley password.',
  );
/** 403, not 401: the session is fine, the confirmation is not (a 401 would read as "log in again"). */
export const wrongPassword = () => new AppError(403, 'wrong_password', 'The current password is not correct.');

export interface AccountSettings {
  /** `PATCH /auth/me`: a Parley account's display name, with the registration's rules. */
  rename(viewer: Viewer, request: UpdateProfileRequest): Promise<UserResponse>;
  /** `POST /auth/me/password`: ends every other session of the account, keeps `viewer.sessionId`'s. */
  changePassword(viewer: Viewer, request: ChangePasswordRequest): Promise<void>;
}

/** Whether a publisher's sign-on (SSO token or OpenID Connect) made this account. */
const fromPublisher = (row: UserRow) => row.identity_site !== null || row.password_hash === null;

export function accountSettings(deps: AccountSettingsDeps): AccountSettings {
  async function account(viewer: Viewer): Promise<UserRow> {
    const row = await findUserById(deps.db, viewer.id);
    if (!row) throw invalidToken('The account this token belongs to no longer exists.');
    return row;
  }

  return {
    async rename(viewer, { displayName }) {
      const row = await account(viewer);
      if (fromPublisher(row)) throw managedByPublisher('name');
      // Staff are named by admins and may carry titles; a reader may not pass for them.
      if (!isStaff(row.role) && imitatesStaff(displayName)) {
        throw validationFailed([{ field: 'displayName', message: 'must not look like a staff title (moderator, admin, staff, Parley team); choose another name' }]);
      }
      const updated = await deps.db
        .updateTable('users')
        .set({ display_name: displayName, updated_at: deps.clock() })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return { user: presentUser(toAccount(updated)) };
    },

    async changePassword(viewer, { currentPassword, newPassword }) {
      const row = await account(viewer);
      if (fromPublisher(row) || row.password_hash === null) throw managedByPublisher('password');
      // Checked before the current password: a refused new one costs no attempt.
      if (isCommonPassword(newPassword)) {
        throw validationFailed([{ field: 'newPassword', message: 'is one of the most common passwords; choose one that is harder to guess' }]);
      }
      // Over budget, even the right password waits, or the answer would confirm a guess.
      await deps.wrongPasswords.check(row.id);
      if (!(await deps.passwords.verify(row.password_hash, currentPassword))) {
        await deps.wrongPasswords.count(row.id);
        throw wrongPassword();
      }
      const passwordHash = await deps.passwords.hash(newPassword);
      const now = deps.clock();
      await deps.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', row.id).execute();
        // Whoever else knew the old password is logged out; the reader who changed it is not.
        await trx
          .updateTable('refresh_tokens')
          .set({ revoked_at: now })
          .where('user_id', '=', row.id)
          .where('family_id', '!=', viewer.sessionId)
          .where('revoked_at', 'is', null)
          .execute();
        // A reset link mailed before would undo the change.
        await spendOpenLinks(trx, row.id, 'password_reset', now);
        await deps.mailer.queue(trx, row.email, pickLocale(row.locale), { kind: 'password_changed', displayName: row.display_name, otherSessions: true });
      });
      deps.mailer.kick();
    },
  };
}
