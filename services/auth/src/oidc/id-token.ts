import { errors, jwtVerify, type JWTPayload } from 'jose';
import { DisplayName, Email } from '@parley/contracts';
import { AppError, serviceUnavailable } from '@parley/platform';
import type { KeySetLookup } from '../sso/publisher-keys';
import type { IdentityProfile } from '../sso/identity-users';
import type { ProviderMetadata } from './discovery';

/** Forgiven clock difference between the provider and Parley. */
export const idTokenClockToleranceSeconds = 30;

export const idTokenInvalid = (why: string) => new AppError(401, 'oidc_id_token_invalid', `The identity provider's id token was refused: ${why}`);

export interface IdTokenExpectations {
  metadata: ProviderMetadata;
  clientId: string;
  nonce: string;
  keys: KeySetLookup;
  now: Date;
}

/**
 * Checks an id token as OpenID Connect Core §3.1.3.7 asks: signed by the provider's keys with an
 * algorithm the provider advertises among RS256/ES256/PS256 (never taken from the token: no
 * `none`, no HMAC keyed with a public key), from the configured issuer, for this client (and, with
 * several audiences, `azp` naming it), not expired, and carrying the nonce this login sent.
 */
export async function verifyIdToken(idToken: string, expect: IdTokenExpectations): Promise<JWTPayload & { sub: string }> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(idToken, expect.keys, {
      algorithms: expect.metadata.algorithms,
      issuer: expect.metadata.issuer,
      audience: expect.clientId,
      currentDate: expect.now,
      clockTolerance: idTokenClockToleranceSeconds,
      requiredClaims: ['sub', 'exp', 'iat'],
    }));
  } catch (error) {
    throw toAppError(error);
  }
  if (Array.isArray(payload.aud) && payload.aud.length > 1 && payload.azp !== expect.clientId) throw idTokenInvalid('it names several audiences and azp is not this client.');
  if (payload.azp !== undefined && payload.azp !== expect.clientId) throw idTokenInvalid('its azp names another client.');
  if (typeof payload.nonce !== 'string' || payload.nonce !== expect.nonce) throw idTokenInvalid('its nonce is not the one this login sent (a replayed or substituted token).');
  if (typeof payload.sub !== 'string' || payload.sub === '' || payload.sub.length > 255) throw idTokenInvalid('it names no subject (sub).');
  return payload as JWTPayload & { sub: string };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWTExpired) return idTokenInvalid('it has expired.');
  if (error instanceof errors.JOSEAlgNotAllowed) return idTokenInvalid('it is signed with an algorithm the provider does not advertise (or none at all).');
  if (error instanceof errors.JWTClaimValidationFailed) return idTokenInvalid(`its ${error.claim} claim is not valid (${error.reason}).`);
  if (error instanceof errors.JWSSignatureVerificationFailed) return idTokenInvalid('its signature does not match the provider\'s keys.');
  if (error instanceof errors.JWKSNoMatchingKey) return idTokenInvalid('it is signed with a key the provider does not publish.');
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return serviceUnavailable('The identity provider\'s keys could not be fetched; try again shortly.');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid || error instanceof errors.JOSENotSupported) return idTokenInvalid('it is not a signed JWT.');
  if (error instanceof Error && /fetch|network|ECONN|Expected 200 OK|JSON/i.test(error.message)) {
    return serviceUnavailable('The identity provider\'s keys could not be fetched; try again shortly.');
  }
  return idTokenInvalid('it could not be verified.');
}

/**
 * The reader's profile from standard claims: `name` (else `preferred_username`, `nickname`, given
 * and family names), `email` unless the provider says it is unverified, `picture` when https. A
 * name Parley cannot show becomes undefined (the caller picks a neutral one).
 */
export function profileFromClaims(claims: JWTPayload): { name: string | undefined; email: string | null; avatar: string | null } {
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const joined = [text(claims.given_name), text(claims.family_name)].filter(Boolean).join(' ');
  const candidates = [text(claims.name), text(claims.preferred_username), text(claims.nickname), joined];
  const name = candidates.map((candidate) => (candidate ? DisplayName.safeParse(candidate) : undefined)).find((parsed) => parsed?.success)?.data;
  const email = claims.email_verified === false ? undefined : Email.safeParse(claims.email).data;
  const picture = text(claims.picture);
  const avatar = picture && picture.length <= 500 && URL.canParse(picture) && new URL(picture).protocol === 'https:' ? picture : null;
  return { name, email: email ?? null, avatar };
}

export type { IdentityProfile };
