import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuthSession, LoginRequest, RegisterRequest, Scope, User } from '@parley/contracts';
import { AppError, conflict, invalidToken, validationFailed, type RateLimiter } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import type { SessionsService } from '../sessions/sessions.service';
import { findUserByEmail, findUserById, insertUser, isKnownLoginAddress, rememberLoginAddress } from './accounts.repository';
import { isCommonPassword } from './common-passwords';
import { imitatesStaff, staffLikeName } from './display-names';
import type { PasswordHasher } from './passwords';
import { normalizeEmail, presentUser, toAccount } from './user';

export interface AccountsDeps {
  db: Kysely<AuthDatabase>;
  passwords: PasswordHasher;
  sessions: SessionsService;
  /** Attempts on one account from one client address: a guesser locks out only themselves. */
  loginPerAddressAccount: RateLimiter;
  /**
   * Attempts on one account from addresses it never logged in from (distributed guessing). Never
   * counted from the owner's known addresses, so it cannot lock them out where they usually log in.
   */
  loginPerAccountFromNewAddresses: RateLimiter;
  clock: () => Date;
}

/** Where a login or registration comes from: the scope it may open, and the client's address. */
export interface RequestOrigin {
  scope: Scope;
  address: string;
}

/** An address counts as known for this long after a successful login from it. */
const knownAddressDays = 90;

export interface AccountsService {
  /** `from.scope`: what the place the request came from allows (see `sessionScopeOf`). */
  register(request: RegisterRequest, from: RequestOrigin): Promise<AuthSession>;
  login(request: LoginRequest, from: RequestOrigin): Promise<AuthSession>;
  /** The user behind a verified access token; a deleted account makes the token worthless. */
  me(userId: string): Promise<User>;
}

export const emailTaken = () => conflict('email_taken', 'An account with this email already exists; log in instead.');
/** One message for unknown email and wrong password, so the answer doesn't reveal accounts. */
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is not correct.');

export const commonPassword = () =>
  validationFailed([{ field: 'password', message: 'is one of the most common passwords; choose one that is harder to guess' }]);

/** The address as stored: hashed with the account id, so the table says nothing about where people are. */
const addressHash = (userId: string, address: string) => createHash('sha256').update(`${userId}\n${address}`).digest('base64url');

export function createAccountsService(deps: AccountsDeps): AccountsService {
  return {
    async register({ email, password, displayName }, from) {
      if (isCommonPassword(password)) throw commonPassword();
      if (imitatesStaff(displayName)) throw staffLikeName();
      // Hash before the transaction: it is the slow part and needs no lock.
      const passwordHash = await deps.passwords.hash(password);
      const now = deps.clock();
      return deps.db.transaction().execute(async (trx) => {
        const row = await insertUser(trx, {
          id: randomUUID(),
          email,
          email_normalized: normalizeEmail(email),
          password_hash: passwordHash,
          display_name: displayName,
          role: 'reader',
          created_at: now,
          updated_at: now,
        });
        if (!row) throw emailTaken();
        return deps.sessions.start(trx, toAccount(row), from.scope);
      });
    },

    async login({ email, password }, from) {
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
      return deps.sessions.start(deps.db, account, from.scope);
    },

    async me(userId) {
      const row = await findUserById(deps.db, userId);
      if (!row) throw invalidToken('The account this token belongs to no longer exists.');
      return presentUser(toAccount(row));
    },
  };
}
