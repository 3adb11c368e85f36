import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuthSession, LoginRequest, RegisterRequest, User } from '@parley/contracts';
import { AppError, conflict, invalidToken, type RateLimiter } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import type { SessionsService } from '../sessions/sessions.service';
import { findUserByEmail, findUserById, insertUser } from './accounts.repository';
import type { PasswordHasher } from './passwords';
import { normalizeEmail, presentUser, toAccount } from './user';

export interface AccountsDeps {
  db: Kysely<AuthDatabase>;
  passwords: PasswordHasher;
  sessions: SessionsService;
  /** Counts login attempts per account (normalized email), whatever address they come from. */
  loginPerAccount: RateLimiter;
  clock: () => Date;
}

export interface AccountsService {
  register(request: RegisterRequest): Promise<AuthSession>;
  login(request: LoginRequest): Promise<AuthSession>;
  /** The user behind a verified access token; a deleted account makes the token worthless. */
  me(userId: string): Promise<User>;
}

export const emailTaken = () => conflict('email_taken', 'An account with this email already exists; log in instead.');
/** One message for unknown email and wrong password, so the answer doesn't reveal accounts. */
export const invalidCredentials = () => new AppError(401, 'invalid_credentials', 'The email or password is not correct.');

export function createAccountsService(deps: AccountsDeps): AccountsService {
  return {
    async register({ email, password, displayName }) {
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
        return deps.sessions.start(trx, toAccount(row));
      });
    },

    async login({ email, password }) {
      const accountKey = normalizeEmail(email);
      await deps.loginPerAccount.consume(accountKey);
      const row = await findUserByEmail(deps.db, accountKey);
      if (!row) {
        await deps.passwords.verifyAgainstNothing(password);
        throw invalidCredentials();
      }
      const account = toAccount(row);
      if (!(await deps.passwords.verify(account.passwordHash, password))) throw invalidCredentials();
      // A successful login clears the account's count, so a user's own typos don't pile up.
      await deps.loginPerAccount.reset(accountKey);
      return deps.sessions.start(deps.db, account);
    },

    async me(userId) {
      const row = await findUserById(deps.db, userId);
      if (!row) throw invalidToken('The account this token belongs to no longer exists.');
      return presentUser(toAccount(row));
    },
  };
}
