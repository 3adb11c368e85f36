import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import { isStaff, type SecondFactorStatus, type TotpConfirmed, type TotpEnrolment } from '@parley/contracts';
import { AppError, conflict, forbidden, notFound, type Logger, type RateLimiter } from '@parley/platform';
import { findUserById } from '../accounts/accounts.repository';
import { toAccount } from '../accounts/user';
import type { RequestOrigin } from '../accounts/accounts.service';
import type { AuthDatabase } from '../database/tables';
import type { SessionsService } from '../sessions/sessions.service';
import { revokeFamily, revokeUserSessions } from '../sessions/sessions.repository';
import { insertAuditEntry } from '../sso/sso-keys.repository';
import {
  countRecoveryCodesLeft,
  deleteSecondFactor,
  findSecondFactor,
  replaceRecoveryCodes,
  spendRecoveryCode,
  startEnrolment,
  takeTimeStep,
} from './second-factor.repository';
import { matchTotp, newTotpSecret, otpauthUri } from './totp';

export interface SecondFactorDeps {
  db: Kysely<AuthDatabase>;
  sessions: SessionsService;
  /** Wrong codes per account, from anywhere: six digits are few, so guessing must stay slow. */
  wrongCodes: RateLimiter;
  /** The name authenticator apps show beside the account. */
  issuer: string;
  clock: () => Date;
}

export const recoveryCodeCount = 10;

export const invalidSecondFactor = () =>
  new AppError(401, 'invalid_second_factor', 'The code is not correct or was already used; wait for the next code of your app, or use a recovery code.');
const secondFactorEnrolled = () =>
  conflict('second_factor_enrolled', 'This account already has an authenticator app; an admin can reset it if the phone is lost.');
const notStarted = () => conflict('second_factor_not_started', 'Start the enrolment first (POST /auth/second-factor/totp).');
const staffOnly = () => new AppError(403, 'second_factor_staff_only', 'Only moderator and admin accounts have a second factor.');
const enrolOnParley = () =>
  new AppError(403, 'staff_session_required', 'Set up the second factor in the moderator console, on Parley\'s own site.');
const userNotFound = () => notFound('not_found', 'There is no account with that id or email.');

/** Recovery codes are random (50 bits each), so a plain SHA-256 is enough to store them safely. */
export const hashRecoveryCode = (code: string) => createHash('sha256').update(code.replace(/[\s-]/g, '').toLowerCase()).digest('base64url');
const newRecoveryCode = () => {
  const text = randomBytes(7).toString('hex').slice(0, 10);
  return `${text.slice(0, 5)}-${text.slice(5)}`;
};

export type SecondFactorService = ReturnType<typeof secondFactorService>;

/**
 * Staff second factor (TOTP, RFC 6238) and recovery codes. A staff session needs the password and
 * a code (accounts.service.ts asks `verify`); enrolment happens in a participant session opened on
 * Parley's own origin (the console), and confirming it opens the first staff session.
 */
export function secondFactorService(deps: SecondFactorDeps) {
  async function staffAccount(userId: string) {
    const row = await findUserById(deps.db, userId);
    if (!row) throw userNotFound();
    const account = toAccount(row);
    if (!isStaff(account.role)) throw staffOnly();
    return account;
  }

  return {
    /** Whether the account has a confirmed authenticator app, and how many recovery codes are left. */
    async status(userId: string): Promise<SecondFactorStatus> {
      const factor = await findSecondFactor(deps.db, userId);
      if (!factor?.confirmed_at) return { totp: false, recoveryCodesLeft: 0 };
      return { totp: true, recoveryCodesLeft: await countRecoveryCodesLeft(deps.db, userId) };
    },

    /**
     * Accepts a current TOTP code not used before, or an unspent recovery code (which is then
     * spent). Wrong codes count against the account; over budget, even a right code waits.
     */
    async verify(userId: string, code: string): Promise<'totp' | 'recovery'> {
      await deps.wrongCodes.check(userId);
      const factor = await findSecondFactor(deps.db, userId);
      if (!factor?.confirmed_at) throw invalidSecondFactor();
      const now = deps.clock();
      const step = matchTotp(factor.totp_secret, code, now);
      if (step !== undefined && (await takeTimeStep(deps.db, userId, step))) {
        await deps.wrongCodes.reset(userId);
        return 'totp';
      }
      if (step === undefined && (await spendRecoveryCode(deps.db, userId, hashRecoveryCode(code), now))) {
        await deps.wrongCodes.reset(userId);
        return 'recovery';
      }
      await deps.wrongCodes.count(userId);
      throw invalidSecondFactor();
    },

    /**
     * Starts enrolment: a new secret, shown once as a QR code and as text. Only from Parley's own
     * origin (a page script on a publisher's site never sees a secret), only for staff, and only
     * while no app is confirmed — replacing a confirmed one takes an admin's reset, so someone who
     * learns the password cannot swap the owner's app for theirs.
     */
    async startTotp(userId: string, from: RequestOrigin): Promise<TotpEnrolment> {
      if (from.scope !== 'staff') throw enrolOnParley();
      const account = await staffAccount(userId);
      const secret = newTotpSecret();
      if (!(await startEnrolment(deps.db, userId, secret, deps.clock()))) throw secondFactorEnrolled();
      const uri = otpauthUri(secret, account.email, deps.issuer);
      const svg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
      return { secret, otpauthUri: uri, qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
    },

    /**
     * Confirms enrolment with a code of the app: the factor is active, the recovery codes are made
     * (shown this once), and — on Parley's origin — a staff session opens in place of the
     * participant one the enrolment was made in.
     */
    async confirmTotp(viewer: { id: string; sessionId: string }, code: string, from: RequestOrigin, log: Logger): Promise<TotpConfirmed> {
      const userId = viewer.id;
      if (from.scope !== 'staff') throw enrolOnParley();
      const account = await staffAccount(userId);
      await deps.wrongCodes.check(userId);
      const factor = await findSecondFactor(deps.db, userId);
      if (!factor) throw notStarted();
      if (factor.confirmed_at) throw secondFactorEnrolled();
      const now = deps.clock();
      const step = matchTotp(factor.totp_secret, code, now);
      if (step === undefined) {
        await deps.wrongCodes.count(userId);
        throw invalidSecondFactor();
      }
      const recoveryCodes = Array.from({ length: recoveryCodeCount }, newRecoveryCode);
      const session = await deps.db.transaction().execute(async (trx) => {
        // The confirming code is spent like a login's, and `confirmed_at` is set in the same update.
        if (!(await takeTimeStep(trx, userId, step, now))) throw invalidSecondFactor();
        await replaceRecoveryCodes(trx, userId, recoveryCodes.map(hashRecoveryCode));
        await insertAuditEntry(trx, { id: randomUUID(), at: now, actor_id: userId, action: 'second_factor.enrolled', site_id: null, target: userId, details: { kind: 'totp' } });
        // The participant session the enrolment was made in has done its job: end it.
        await revokeFamily(trx, viewer.sessionId, now);
        return deps.sessions.start(trx, account, 'staff');
      });
      await deps.wrongCodes.reset(userId);
      log.info({ actor: userId }, 'second factor enrolled');
      return { recoveryCodes, session };
    },

    /**
     * An admin removes another staff member's factor (a lost phone with its recovery codes): their
     * sessions end, and their next console sign-in enrols again. Logged and audited.
     */
    async reset(actorId: string, userId: string, log: Logger): Promise<void> {
      if (actorId === userId) throw forbidden('You cannot reset your own second factor; ask another admin.');
      const actor = await findUserById(deps.db, actorId);
      if (actor?.role !== 'admin') throw forbidden('This needs an admin account.');
      const now = deps.clock();
      const had = await deps.db.transaction().execute(async (trx) => {
        if (!(await findUserById(trx, userId))) throw userNotFound();
        const removed = await deleteSecondFactor(trx, userId);
        await revokeUserSessions(trx, userId, now);
        await insertAuditEntry(trx, { id: randomUUID(), at: now, actor_id: actorId, action: 'second_factor.reset', site_id: null, target: userId, details: { hadFactor: removed } });
        return removed;
      });
      log.info({ actor: actorId, target: userId, hadFactor: had }, 'second factor reset');
    },
  };
}
