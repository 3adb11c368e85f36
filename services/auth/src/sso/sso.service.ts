import type { Kysely } from 'kysely';
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload, type JWTVerifyResult } from 'jose';
import { SsoTokenClaims, ssoTokenMaxLifetimeSeconds, type AuthSession, type SsoExchangeRequest } from '@parley/contracts';
import { AppError, serviceUnavailable, toFieldIssues, type Logger } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import type { SessionsService } from '../sessions/sessions.service';
import { upsertIdentityUser } from './identity-users';
import { jwksAlgorithms, secretAlgorithm, type KeySetLookup } from './publisher-keys';
import { findSsoKey, listJwksKeys } from './sso-keys.repository';
import { forgetExpiredSignOnTokens, rememberSignOnToken } from './sso.repository';

export interface SsoDeps {
  db: Kysely<AuthDatabase>;
  sessions: SessionsService;
  /** The remote key set of a publisher's JWKS URL (publisherKeySets). */
  keySet: (url: string) => KeySetLookup;
  clock: () => Date;
}

export interface SsoService {
  /** Exchanges a publisher's sign-on token for a participant session of the reader it names. */
  exchange(request: SsoExchangeRequest, log: Logger): Promise<AuthSession>;
}

/** Forgiven clock difference between the publisher's server and Parley, on `exp`, `nbf` and `iat`. */
const clockToleranceSeconds = 30;

const refused = (code: ConstructorParameters<typeof AppError>[1], message: string, details?: unknown) => new AppError(401, code, message, details);
export const ssoTokenMalformed = () => refused('sso_token_malformed', 'The sign-on token is not a signed JWT (header.payload.signature).');
export const ssoUnknownKey = (why = 'The sign-on token names a key (kid) this site does not have; check the kid in the token header against the site\'s keys.') =>
  refused('sso_unknown_key', why);
export const ssoBadSignature = (why = 'The sign-on token\'s signature does not match the site\'s key.') => refused('sso_bad_signature', why);
export const ssoTokenExpired = () => refused('sso_token_expired', 'The sign-on token has expired; the publisher\'s page must fetch a fresh one.');
export const ssoTokenReplayed = () => refused('sso_token_replayed', 'This sign-on token (its jti) was already used; every sign-in needs a fresh token.');
export const ssoWrongSite = () => refused('sso_wrong_site', 'The sign-on token is for another site (its aud).');
export const ssoClaimsInvalid = (message: string, details?: unknown) => refused('sso_claims_invalid', message, details);

/**
 * Publisher single sign-on: the news site signs a short-lived JWT about its logged-in reader
 * (HS256 with a secret Parley generated, or RS256/ES256 with a key in the publisher's JWKS; the
 * algorithm is pinned by the key, the `kid` picks the key), and gets a participant session back.
 * The reader's account is keyed by (`sso:<site>`, `sub`), created on first use and updated when
 * a token is newer than the last one applied. Each token works once (`jti`, kept until `exp`).
 */
export function ssoService(deps: SsoDeps): SsoService {
  async function verify(site: string, token: string): Promise<JWTPayload> {
    let kid: unknown;
    let alg: unknown;
    try {
      ({ kid, alg } = decodeProtectedHeader(token));
    } catch {
      throw ssoTokenMalformed();
    }
    if (token.split('.').length !== 3) throw ssoTokenMalformed();
    if (typeof kid !== 'string' || kid === '') throw ssoUnknownKey('The sign-on token names no key: put the key\'s kid in its header.');
    const options = { clockTolerance: clockToleranceSeconds, currentDate: deps.clock() };
    try {
      let result: JWTVerifyResult;
      const secret = await findSsoKey(deps.db, site, kid);
      if (secret?.kind === 'secret' && secret.secret) {
        result = await jwtVerify(token, new TextEncoder().encode(secret.secret), { ...options, algorithms: [secretAlgorithm] });
      } else {
        // No secret has this kid; a JWKS key could only be meant if the token is signed like one.
        if (typeof alg !== 'string' || !jwksAlgorithms.includes(alg)) throw ssoUnknownKey();
        result = await verifyWithJwks(site, token, options);
      }
      return result.payload;
    } catch (error) {
      throw toAppError(error);
    }
  }

  /**
   * Tries the site's JWKS URLs in turn: the token's kid names a key inside one of them (two sets may
   * use the same kid). A set that verified the signature decides; otherwise an unreachable set
   * means "try again" (the key may be there), a wrong signature beats an unknown kid.
   */
  async function verifyWithJwks(site: string, token: string, options: { clockTolerance: number; currentDate: Date }): Promise<JWTVerifyResult> {
    const sets = await listJwksKeys(deps.db, site);
    let signatureFailed: unknown;
    let unreachable: unknown;
    for (const key of sets) {
      try {
        return await jwtVerify(token, deps.keySet(key.jwks_url!), { ...options, algorithms: jwksAlgorithms });
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey) continue;
        if (error instanceof errors.JWSSignatureVerificationFailed) signatureFailed ??= error;
        else if (isUnreachable(error)) unreachable ??= error;
        else throw error;
      }
    }
    if (unreachable) throw unreachable;
    if (signatureFailed) throw signatureFailed;
    throw ssoUnknownKey();
  }

  return {
    async exchange({ site, token }, log) {
      const payload = await verify(site, token);
      // The signature is good: now what it says.
      if (payload.aud !== undefined) {
        const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        if (!audiences.includes(site)) throw ssoWrongSite();
      }
      const parsed = SsoTokenClaims.safeParse(payload);
      if (!parsed.success) {
        const issues = toFieldIssues(parsed.error);
        throw ssoClaimsInvalid(`The sign-on token's claims are not valid: ${issues.map((issue) => `${issue.field} ${issue.message}`).join('; ')}.`, issues);
      }
      const claims = parsed.data;
      const now = deps.clock();
      const nowSeconds = Math.floor(now.getTime() / 1000);
      if (claims.iat > nowSeconds + clockToleranceSeconds) throw ssoClaimsInvalid('The sign-on token was issued in the future (iat); check the publisher server\'s clock.');
      if (claims.exp - claims.iat > ssoTokenMaxLifetimeSeconds) {
        throw ssoClaimsInvalid(`The sign-on token lives too long: exp may be at most ${ssoTokenMaxLifetimeSeconds} seconds after iat.`);
      }

      const outcome = await deps.db.transaction().execute(async (trx) => {
        await forgetExpiredSignOnTokens(trx, new Date(now.getTime() - clockToleranceSeconds * 1000));
        const fresh = await rememberSignOnToken(trx, site, claims.jti, new Date((claims.exp + clockToleranceSeconds) * 1000));
        if (!fresh) throw ssoTokenReplayed();
        const identity = await upsertIdentityUser(
          trx,
          {
            issuer: `sso:${site}`,
            subject: claims.sub,
            site,
            profile: { name: claims.name, email: claims.email, avatar: claims.avatar, badge: claims.badge },
            issuedAt: new Date(claims.iat * 1000),
          },
          now,
        );
        // Whatever the account's role and wherever the request came from: a publisher's page.
        const session = await deps.sessions.start(trx, identity.account, 'participant');
        return { ...identity, session };
      });
      if (outcome.renamed) log.warn({ site, user: outcome.account.id }, 'sso name looks like a staff title; a neutral name is shown instead');
      log.info({ site, user: outcome.account.id, created: outcome.created }, 'sso sign-in');
      return outcome.session;
    },
  };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWTExpired) return ssoTokenExpired();
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return ssoBadSignature('The sign-on token uses an algorithm this key does not take (HS256 for a Parley secret; RS256 or ES256 for a JWKS).');
  }
  if (error instanceof errors.JWKSNoMatchingKey) return ssoUnknownKey();
  if (error instanceof errors.JWSSignatureVerificationFailed) return ssoBadSignature();
  if (error instanceof errors.JWTClaimValidationFailed) return ssoClaimsInvalid(`The sign-on token's ${error.claim} claim is not valid: ${error.reason}.`);
  if (isUnreachable(error)) return serviceUnavailable('The publisher\'s keys (JWKS) could not be fetched; try again shortly.');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) return ssoTokenMalformed();
  return ssoBadSignature();
}

/** The publisher's JWKS could not be had: a timeout, a bad answer, or a failed fetch (a plain error from jose). */
function isUnreachable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  return error instanceof Error && !(error instanceof errors.JWSInvalid) && /fetch|network|ECONN|Expected 200 OK|JSON/i.test(error.message);
}
