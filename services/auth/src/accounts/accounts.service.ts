import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isStaff, type AuthSession, type LoginRequest, type MeResponse, type RegisterRequest, type Scope } from '@parley/contracts';
import { AppError, conflict, invalidToken, validationFailed, type RateLimiter } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import type { MailLocale } from '@parley/mail';
import type { EmailLinksService } from '../email-links/email-links.service';
import type { Mailer } from '../mail/mailer';
import type { SecondFactorService } from '../second-factor/second-factor.service';
import type { SessionsService } from '../sessions/sessions.service';
import { findUserByEmail, findUserById, insertUser, isKnownLoginAddress, rememberLoginAddress } from './accounts.repository';
import { isCommonPassword } from './common-passwords';
import { deleteAccount } from './delete-account';
import { imitatesStaff, staffLikeName } from './display-names';
import type { PasswordHasher } from './passwords';
import { normalizeEmail, presentUser, toAccount, type Account } from './user';

export interface AccountsDeps {
  db: Kysely<AuthDatabase>;
  passwords: PasswordHasher;
  sessions: SessionsService;
  /** A staff session needs a code of the account's authenticator app as well as the password. */
  secondFactor: Pick<SecondFactorService, 'status' | 'verify'>;
  /** Attempts on one account from one client address: a guesser locks out only themselves. */
  loginPerAddressAccount: RateLimiter;
  /**
   * Attempts on one account from addresses it never logged in from (distributed guessing). Never
   * counted from the owner's known addresses, so it cannot lock them out where they usually log in.
   */
  loginPerAccountFromNewAddresses: RateLimiter;
  /** Mails a new account its confirmation link, in the registration's transaction. */
  verification: Pick<EmailLinksService, 'sendVerification'>;
  mailer: Pick<Mailer, 'kick'>;
  clock: () => Date;
}

/** Where a login or registration comes from: the scope it may open, and the client's address. */
export interface RequestOrigin {
  scope: Scope;
  address: string;
  /** The browser's language (Accept-Language), for a new account's mail. */
  locale?: MailLocale;
}

/** An address counts as known for this long after a successful login from it. */
const knownAddressDays = 90;

export interface AccountsService {
  /** `from.scope`: what the place the request came from allows (see `sessionScopeOf`). */
  register(request: RegisterRequest, from: RequestOrigin): Promise<AuthSession>;
  login(request: LoginRequest, from: RequestOrigin): Promise<AuthSession>;
  /** The user behind a verified access token (a deleted account makes the token worthless), and a staff account's second factor. */
  me(userId: string): Promise<MeResponse>;
  /** Deletes the account (delete-account.ts); a Parley account confirms with its password. */
  deleteAccount(userId: string, password: string | undefined): Promise<void>;
}

export const emailTaken = () => conflict('email_taken', 'An account with this email already exists; log in instead.');
/** One message for unknown email and wrong password, so the answer doesn't reveal accounts. */
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is not correct.');

export const commonPassword = () =>
  validationFailed([{ field: 'password', message: 'is one of the most common passwords; choose one that is harder to guess' }]);

/** The address as stored: hashed with the account id, so the table says nothing about where people are. */
const addressHash = (userId: string, address: string) => createHash('sha256').update(`${userId}\n${address}`).digest('base64url');

export function createAccountsService(deps: AccountsDeps): AccountsService {
  /**
   * A staff session needs three things: a staff account, a place that may hold one (Parley's own
   * origin or a client without `Origin`, see `sessionScopeOf`), and a code of the account's
   * authenticator app (or a recovery code). The password alone — which a script on a publisher's
   * page can read as it is typed into the widget — opens a participant session only; on Parley's
   * own origin the answer says what is missing (`secondFactor`). A code sent anywhere else is not
   * even looked at: the widget never asks for one.
   */
  async function sessionScope(account: Account, code: string | undefined, from: RequestOrigin): Promise<{ scope: Scope; secondFactor?: 'required' | 'enrol' }> {
    if (from.scope !== 'staff' || !isStaff(account.role)) return { scope: 'participant' };
    const { totp } = await deps.secondFactor.status(account.id);
    if (!totp) return { scope: 'participant', secondFactor: 'enrol' };
    if (!code) return { scope: 'participant', secondFactor: 'required' };
    await deps.secondFactor.verify(account.id, code);
    return { scope: 'staff' };
  }

  return {
    async register({ email, password, displayName }, from) {
      if (isCommonPassword(password)) throw commonPassword();
      if (imitatesStaff(displayName)) throw staffLikeName();
      // Hash before the transaction: it is the slow part and needs no lock.
      const passwordHash = await deps.passwords.hash(password);
      const now = deps.clock();
      const locale = from.locale ?? 'en';
      const session = await deps.db.transaction().execute(async (trx) => {
        const row = await insertUser(trx, {
          id: randomUUID(),
          email,
          email_normalized: normalizeEmail(email),
          password_hash: passwordHash,
          display_name: displayName,
          role: 'reader',
          locale,
          created_at: now,
          updated_at: now,
        });
        if (!row) throw emailTaken();
        // The confirmation mail commits with the account, or neither does.
        await deps.verification.sendVerification(trx, { id: row.id, email: row.email, displayName: row.display_name }, locale);
        // A new account is a reader's: a participant session wherever it registers.
        return deps.sessions.start(trx, toAccount(row), 'participant');
      });
      deps.mailer.kick();
      return session;
    },

    async login({ email, password, code }, from) {
      const accountKey = normalizeEmail(email);
      // Both budgets count failures only, and are checked before the password is: over budget, even
      // the right password waits (otherwise the answer would confirm a guess).
      const pairKey = `${from.address}\n${accountKey}`;
      await deps.loginPerAddressAccount.check(pairKey);
      const row = await findUserByEmail(deps.db, accountKey);
      const now = deps.clock();
      const hashed = row ? addressHash(row.id, from.address) : undefined;
      const since = new Date(now.getTime() - knownAddressDays * 86_400_000);
      const known = row && hashed ? await isKnownLoginAddress(deps.db, row.id, hashed, since) : false;
      if (!known) await deps.loginPerAccountFromNewAddresses.check(accountKey);
      const failed = async () => {
        await deps.loginPerAddressAccount.count(pairKey);
        if (!known) await deps.loginPerAccountFromNewAddresses.count(accountKey);
        return invalidCredentials();
      };
      if (!row || !hashed) {
        // Unknown accounts are counted like real ones and take as long, so answers don't tell them apart.
        await deps.passwords.verifyAgainstNothing(password);
        throw await failed();
      }
      const account = toAccount(row);
      // A publisher's reader has no password (and no login email, so this is belt and braces).
      if (account.passwordHash === null) {
        await deps.passwords.verifyAgainstNothing(password);
        throw await failed();
      }
      if (!(await deps.passwords.verify(account.passwordHash, password))) throw await failed();
      // A successful login clears this address's count, so a user's own typos don't pile up.
      await deps.loginPerAddressAccount.reset(pairKey);
      await rememberLoginAddress(deps.db, account.id, hashed, now);
      const { scope, secondFactor } = await sessionScope(account, code, from);
      const session = await deps.sessions.start(deps.db, account, scope);
      return secondFactor ? { ...session, secondFactor } : session;
    },

    deleteAccount: (userId, password) => deleteAccount(deps, userId, password),

    async me(userId) {
      const row = await findUserById(deps.db, userId);
      if (!row) throw invalidToken('The account this token belongs to no longer exists.');
      const account = toAccount(row);
      return { user: presentUser(account), ...(isStaff(account.role) ? { secondFactor: await deps.secondFactor.status(account.id) } : {}) };
    },
  };
}
