import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { pickLocale, type MailLocale } from '@parley/mail';
import { AppError, conflict, forbidden, type RateLimiter } from '@parley/platform';
import { findUserByEmail, findUserById } from '../accounts/accounts.repository';
import { commonPassword, emailTaken, invalidCredentials } from '../accounts/accounts.service';
import { isCommonPassword } from '../accounts/common-passwords';
import type { PasswordHasher } from '../accounts/passwords';
import { normalizeEmail } from '../accounts/user';
import type { AuthDatabase } from '../database/tables';
import type { ImportedAuthorClaims } from '../imported-authors/imported-author-claims';
import type { Mailer } from '../mail/mailer';
import { revokeUserSessions } from '../sessions/sessions.repository';
import { findEmailLink, insertEmailLink, spendEmailLink, spendOpenLinks, type LinkPurpose } from './email-links.repository';

/** How long each kind of link works. A reset link is short-lived: it is as good as the password. */
export const linkLifetimes = { verify_email: 48 * 3600, password_reset: 30 * 60, email_change: 24 * 3600 } as const satisfies Record<LinkPurpose, number>;

/** What became of a followed link; the page says it in the reader's language. */
export type LinkOutcome = 'ok' | 'invalid' | 'expired' | 'used' | 'email_taken';
export interface LinkResult {
  outcome: LinkOutcome;
  /** The account's language when the link was known; else the page asks the browser. */
  locale?: MailLocale;
}

export interface EmailLinksDeps {
  db: Kysely<AuthDatabase>;
  mailer: Mailer;
  passwords: PasswordHasher;
  /** Links mailed to one address per window (counted for unknown addresses too, so the answer is the same). */
  perEmail: RateLimiter;
  /** Each address that becomes confirmed here claims the imported authors with it (ADR 0016). */
  claims: ImportedAuthorClaims;
  clock: () => Date;
}

export interface EmailLinksService {
  /** Mails a new account its confirmation link; `db` is the registration's transaction. */
  sendVerification(db: Kysely<AuthDatabase>, account: { id: string; email: string; displayName: string }, locale: MailLocale): Promise<void>;
  /** Mails a new confirmation link; does nothing (with the same answer) once the address is confirmed. */
  resendVerification(userId: string): Promise<void>;
  verifyEmail(token: string): Promise<LinkResult>;
  /** Mails a reset link if a password account has this email; the answer is the same either way. */
  requestPasswordReset(email: string): Promise<void>;
  /** Whether a reset link still works, without spending it (the form page). */
  checkPasswordReset(token: string): Promise<LinkResult>;
  /** Spends a reset link and sets the password; every session of the account ends. */
  resetPassword(token: string, password: string): Promise<LinkResult>;
  /** Mails a confirmation link to the new address; the old one stays until it is followed. */
  requestEmailChange(userId: string, newEmail: string, password: string): Promise<void>;
  confirmEmailChange(token: string): Promise<LinkResult>;
}

export const linkErrors = {
  invalid: () => new AppError(400, 'invalid_link', 'This link is not valid; ask for a new one.'),
  expired: () => new AppError(400, 'link_expired', 'This link has expired; ask for a new one.'),
  used: () => new AppError(400, 'link_used', 'This link was already used; ask for a new one if you need to.'),
};

const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
/** Tokens are 32 random bytes in base64url: anything else is not one of ours. */
const looksLikeToken = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token);

export function emailLinksService(deps: EmailLinksDeps): EmailLinksService {
  async function issue(db: Kysely<AuthDatabase>, userId: string, purpose: LinkPurpose, email: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = deps.clock();
    await insertEmailLink(db, { token_hash: hashToken(token), user_id: userId, purpose, email, expires_at: new Date(now.getTime() + linkLifetimes[purpose] * 1000), used_at: null, created_at: now });
    return token;
  }

  /** Spends a link, or says why it could not be. */
  async function spend(db: Kysely<AuthDatabase>, token: string, purpose: LinkPurpose) {
    if (!looksLikeToken(token)) return { outcome: 'invalid' as const };
    const now = deps.clock();
    const hash = hashToken(token);
    const row = await spendEmailLink(db, hash, purpose, now);
    if (row) return { outcome: 'ok' as const, row };
    const known = await findEmailLink(db, hash, purpose);
    if (!known) return { outcome: 'invalid' as const };
    return { outcome: known.used_at ? ('used' as const) : ('expired' as const), row: known };
  }

  async function localeOf(db: Kysely<AuthDatabase>, userId: string): Promise<MailLocale> {
    const user = await findUserById(db, userId);
    return pickLocale(user?.locale);
  }

  async function sendVerification(db: Kysely<AuthDatabase>, account: { id: string; email: string; displayName: string }, locale: MailLocale): Promise<void> {
    const token = await issue(db, account.id, 'verify_email', account.email);
    await deps.mailer.queue(db, account.email, locale, {
      kind: 'verify_email',
      displayName: account.displayName,
      link: deps.mailer.link('/auth/pages/verify-email', token),
      hours: linkLifetimes.verify_email / 3600,
    });
  }

  return {
    sendVerification,

    async resendVerification(userId) {
      const user = await findUserById(deps.db, userId);
      if (!user) throw invalidCredentials();
      // Counted before anything is decided, so that every account gets the same answers (202 or 429).
      await deps.perEmail.consume(user.email_normalized ?? user.id);
      // Nothing to confirm: an address already confirmed, or a publisher's reader (no login email).
      if (user.password_hash === null || user.email_verified_at) return;
      await deps.db.transaction().execute((trx) => sendVerification(trx, { id: user.id, email: user.email, displayName: user.display_name }, pickLocale(user.locale)));
      deps.mailer.kick();
    },

    async verifyEmail(token) {
      const result = await deps.db.transaction().execute(async (trx) => {
        const spent = await spend(trx, token, 'verify_email');
        if (!spent.row) return { outcome: spent.outcome };
        const locale = await localeOf(trx, spent.row.user_id);
        if (spent.outcome !== 'ok') return { outcome: spent.outcome, locale };
        // Only if the address is still the one the link was mailed to.
        const confirmed = await trx
          .updateTable('users')
          .set({ email_verified_at: deps.clock() })
          .where('id', '=', spent.row.user_id)
          .where('email_normalized', '=', normalizeEmail(spent.row.email))
          .where('email_verified_at', 'is', null)
          .executeTakeFirst();
        if (confirmed.numUpdatedRows > 0n) await deps.claims.queue(trx, spent.row.user_id, spent.row.email);
        return { outcome: 'ok' as const, locale };
      });
      if (result.outcome === 'ok') deps.claims.kick();
      return result;
    },

    async requestPasswordReset(email) {
      const key = normalizeEmail(email);
      await deps.perEmail.consume(key);
      const user = await findUserByEmail(deps.db, key);
      // Unknown addresses and publisher readers (no password) get nothing, and the same answer.
      if (!user || user.password_hash === null) return;
      await deps.db.transaction().execute(async (trx) => {
        const token = await issue(trx, user.id, 'password_reset', user.email);
        await deps.mailer.queue(trx, user.email, pickLocale(user.locale), {
          kind: 'password_reset',
          displayName: user.display_name,
          link: deps.mailer.link('/auth/pages/reset-password', token),
          minutes: linkLifetimes.password_reset / 60,
        });
      });
      deps.mailer.kick();
    },

    async checkPasswordReset(token) {
      if (!looksLikeToken(token)) return { outcome: 'invalid' };
      const row = await findEmailLink(deps.db, hashToken(token), 'password_reset');
      if (!row) return { outcome: 'invalid' };
      const locale = await localeOf(deps.db, row.user_id);
      if (row.used_at) return { outcome: 'used', locale };
      if (row.expires_at <= deps.clock()) return { outcome: 'expired', locale };
      return { outcome: 'ok', locale };
    },

    async resetPassword(token, password) {
      if (isCommonPassword(password)) throw commonPassword();
      const passwordHash = await deps.passwords.hash(password);
      const result = await deps.db.transaction().execute(async (trx) => {
        const spent = await spend(trx, token, 'password_reset');
        if (!spent.row) return { outcome: spent.outcome };
        const user = await findUserById(trx, spent.row.user_id);
        if (!user) return { outcome: 'invalid' as const };
        const locale = pickLocale(user.locale);
        if (spent.outcome !== 'ok') return { outcome: spent.outcome, locale };
        const now = deps.clock();
        // The link reached this mailbox, which proves the address too.
        await trx.updateTable('users').set({ password_hash: passwordHash, email_verified_at: user.email_verified_at ?? now, updated_at: now }).where('id', '=', user.id).execute();
        if (!user.email_verified_at) await deps.claims.queue(trx, user.id, user.email);
        await spendOpenLinks(trx, user.id, 'password_reset', now);
        // Whoever knew the old password is logged out everywhere.
        await revokeUserSessions(trx, user.id, now);
        await deps.mailer.queue(trx, user.email, locale, { kind: 'password_changed', displayName: user.display_name });
        return { outcome: 'ok' as const, locale };
      });
      if (result.outcome === 'ok') {
        deps.mailer.kick();
        deps.claims.kick();
      }
      return result;
    },

    async requestEmailChange(userId, newEmail, password) {
      const user = await findUserById(deps.db, userId);
      if (!user) throw invalidCredentials();
      if (user.password_hash === null) throw forbidden('This account signs in through its publisher; its email is changed there.');
      if (!(await deps.passwords.verify(user.password_hash, password))) throw invalidCredentials();
      const key = normalizeEmail(newEmail);
      if (key === user.email_normalized) throw conflict('email_taken', 'This is already your email address.');
      await deps.perEmail.consume(key);
      if (await findUserByEmail(deps.db, key)) throw emailTaken();
      await deps.db.transaction().execute(async (trx) => {
        const token = await issue(trx, user.id, 'email_change', newEmail.trim());
        await deps.mailer.queue(trx, newEmail.trim(), pickLocale(user.locale), {
          kind: 'email_change',
          displayName: user.display_name,
          newEmail: newEmail.trim(),
          link: deps.mailer.link('/auth/pages/confirm-email', token),
          hours: linkLifetimes.email_change / 3600,
        });
      });
      deps.mailer.kick();
    },

    async confirmEmailChange(token) {
      const result = await deps.db.transaction().execute(async (trx): Promise<LinkResult> => {
        const spent = await spend(trx, token, 'email_change');
        if (!spent.row) return { outcome: spent.outcome };
        const locale = await localeOf(trx, spent.row.user_id);
        if (spent.outcome !== 'ok') return { outcome: spent.outcome, locale };
        const email = spent.row.email;
        const now = deps.clock();
        const taken = await findUserByEmail(trx, normalizeEmail(email));
        if (taken && taken.id !== spent.row.user_id) return { outcome: 'email_taken', locale };
        await trx
          .updateTable('users')
          .set({ email, email_normalized: normalizeEmail(email), email_verified_at: now, updated_at: now })
          .where('id', '=', spent.row.user_id)
          .execute();
        await deps.claims.queue(trx, spent.row.user_id, email);
        return { outcome: 'ok', locale };
      });
      if (result.outcome === 'ok') deps.claims.kick();
      return result;
    },
  };
}
