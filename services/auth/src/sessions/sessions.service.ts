import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuthSession, Scope, User } from '@parley/contracts';
import { AppError } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import { findUserById } from '../accounts/accounts.repository';
import { presentUser, toAccount } from '../accounts/user';
import type { AccessTokenIssuer } from './access-tokens';
import { findRefreshToken, insertRefreshToken, listRevokedFamilies, revokeFamily, spendRefreshToken } from './sessions.repository';

export interface SessionsDeps {
  db: Kysely<AuthDatabase>;
  accessTokens: AccessTokenIssuer;
  refreshTokenTtlDays: number;
  clock: () => Date;
}

export interface SessionsService {
  /**
   * Opens a new session (a new refresh-token family) for a user; `db` may be the caller's
   * transaction. `scope` is what the place the request came from allows (see `sessionScopeOf`).
   */
  start(db: Kysely<AuthDatabase>, user: User, scope: Scope): Promise<AuthSession>;
  /** Rotates a refresh token; a staff session is refreshed only where a staff session may be obtained. */
  refresh(refreshToken: string, scope: Scope): Promise<AuthSession>;
  logout(refreshToken: string): Promise<void>;
  /** Sessions revoked after `since` (logout, reuse, role change), for other services to refuse their tokens. */
  revokedSince(since: Date): Promise<{ sessions: { id: string; revokedAt: string }[]; until: string }>;
}

export const invalidRefreshToken = () =>
  new AppError(401, 'invalid_refresh_token', 'The refresh token is not valid; log in again.');
export const staffRefreshRefused = () =>
  new AppError(403, 'staff_session_required', 'A staff session is refreshed only on Parley\'s own site (the moderator console).');
export const refreshTokenReused = () =>
  new AppError(401, 'refresh_token_reused', 'This refresh token was already used; every session from this login is now ended. Log in again.');

/** Only a hash is stored, so a leaked table can't be replayed as sessions. */
export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

type RefreshOutcome = { ok: true; session: AuthSession } | { ok: false; error: AppError };

export function createSessionsService(deps: SessionsDeps): SessionsService {
  const ttlMs = deps.refreshTokenTtlDays * 24 * 60 * 60 * 1000;

  async function issue(db: Kysely<AuthDatabase>, user: User, familyId: string, scope: Scope): Promise<AuthSession> {
    const refreshToken = randomBytes(32).toString('base64url');
    const now = deps.clock();
    await insertRefreshToken(db, {
      id: randomUUID(),
      token_hash: hashRefreshToken(refreshToken),
      family_id: familyId,
      user_id: user.id,
      scope,
      created_at: now,
      expires_at: new Date(now.getTime() + ttlMs),
    });
    return { user: presentUser(user), refreshToken, ...deps.accessTokens.issue(user, { id: familyId, scope }) };
  }

  return {
    start: (db, user, scope) => issue(db, user, randomUUID(), scope),

    async refresh(refreshToken, scope) {
      const tokenHash = hashRefreshToken(refreshToken);
      const now = deps.clock();
      // Checked before spending: a console's token presented from a publisher's page stays usable
      // where it belongs, and buys the page nothing.
      if (scope !== 'staff') {
        const token = await findRefreshToken(deps.db, tokenHash);
        if (token?.scope === 'staff' && token.used_at === null && token.revoked_at === null) throw staffRefreshRefused();
      }
      // Failures are returned, not thrown, so that the family revocation on reuse commits.
      const outcome = await deps.db.transaction().execute(async (trx): Promise<RefreshOutcome> => {
        const spent = await spendRefreshToken(trx, tokenHash, now);
        if (spent) {
          // Re-read the account: a changed role or name applies from this refresh on.
          const row = await findUserById(trx, spent.user_id);
          if (!row) return { ok: false, error: invalidRefreshToken() };
          return { ok: true, session: await issue(trx, toAccount(row), spent.family_id, spent.scope) };
        }
        const token = await findRefreshToken(trx, tokenHash);
        if (!token) return { ok: false, error: invalidRefreshToken() };
        if (token.used_at !== null) {
          // A spent token coming back means it was copied: end every session of that login,
          // including the newest one, which may be in the attacker's hands.
          await revokeFamily(trx, token.family_id, now);
          return { ok: false, error: refreshTokenReused() };
        }
        return { ok: false, error: invalidRefreshToken() };
      });
      if (!outcome.ok) throw outcome.error;
      return outcome.session;
    },

    async logout(refreshToken) {
      const token = await findRefreshToken(deps.db, hashRefreshToken(refreshToken));
      // An unknown token is already logged out; answering the same way reveals nothing.
      if (token) await revokeFamily(deps.db, token.family_id, deps.clock());
    },

    async revokedSince(since) {
      const rows = await listRevokedFamilies(deps.db, since, 5000);
      const now = deps.clock();
      // Never past now: a revocation stamped in the future (a node with a skewed clock) must not
      // move the cursor beyond every revocation that comes after it; it is simply sent again.
      const last = rows.at(-1)?.revokedAt ?? since;
      const until = last.getTime() > now.getTime() ? (since.getTime() > now.getTime() ? since : now) : last;
      return { sessions: rows.map((row) => ({ id: row.familyId, revokedAt: row.revokedAt.toISOString() })), until: until.toISOString() };
    },
  };
}
