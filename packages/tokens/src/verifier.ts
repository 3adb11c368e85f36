import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWSHeaderParameters, type KeyLike } from 'jose';
import { AccessTokenClaims, type JwksResponse } from '@parley/contracts';
import { AppError, invalidToken, serviceUnavailable, tokenExpired } from '@parley/platform';
import { accessTokenAlgorithm } from './keys';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the auth service publishes its keys. */
  jwksUrl?: string;
  /** Keys known up front (tests, or a deployment that pins keys); tried before any fetch. */
  keys?: JwksResponse['keys'];
  /** How long fetched keys are trusted before they are fetched again. */
  cacheSeconds?: number;
  /** An unknown `kid` triggers a refetch at most this often, so junk tokens can't hammer auth. */
  refetchCooldownSeconds?: number;
  fetchTimeoutMs?: number;
  /**
   * Seconds of clock skew forgiven on `exp`/`nbf`. 0 by default because access tokens are short and
   * services and tests alike count on a token being refused the second it expires.
   */
  clockToleranceSeconds?: number;
  /** Only the token's clock: jose times its JWKS cache and cool-down on the real clock. */
  now?: () => number;
}

export interface TokenVerifier {
  verify(token: string): Promise<AccessTokenClaims>;
}

type KeySet = (header: JWSHeaderParameters) => Promise<KeyLike>;

const unknownKey = () => invalidToken('The access token was signed with an unknown key.');

/**
 * Verifies access tokens locally against the auth service's JWKS: ES256 only, issuer and audience
 * checked, keys cached and refetched on an unknown key id. Never calls auth per request.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const now = options.now ?? Date.now;
  const pinned = options.keys?.length ? createLocalJWKSet({ keys: options.keys }) : undefined;
  const remote = options.jwksUrl
    ? createRemoteJWKSet(new URL(options.jwksUrl), {
        cacheMaxAge: (options.cacheSeconds ?? 600) * 1000,
        cooldownDuration: (options.refetchCooldownSeconds ?? 30) * 1000,
        timeoutDuration: options.fetchTimeoutMs ?? 3000,
      })
    : undefined;
  const lastFetched = lastGoodKeys();

  async function keyFor(header: JWSHeaderParameters): Promise<KeyLike> {
    // Without a kid jose would take the only key of the right type; Parley always names its key.
    if (typeof header.kid !== 'string' || header.kid === '') throw invalidToken('The access token names no key.');
    if (pinned) {
      try {
        return await pinned(header);
      } catch (error) {
        if (!remote || !(error instanceof errors.JWKSNoMatchingKey)) throw error;
      }
    }
    if (!remote) throw unknownKey();
    try {
      return await remote(header);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey) throw unknownKey();
      // The refetch failed (auth down, a 500, a timeout, a malformed set): keep serving with the
      // keys fetched last, as jose drops to an error once its cache is stale.
      const known = remote.jwks();
      if (known) return lastFetched(known)(header);
      if (pinned) throw unknownKey();
      throw serviceUnavailable('Token keys are not available yet; try again shortly.');
    }
  }

  return {
    async verify(token) {
      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, keyFor, {
          algorithms: [accessTokenAlgorithm],
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: options.clockToleranceSeconds ?? 0,
          currentDate: new Date(now()),
        }));
      } catch (error) {
        throw toAppError(error);
      }
      const claims = AccessTokenClaims.safeParse(payload);
      if (!claims.success) throw invalidToken('The access token is missing required claims.');
      return claims.data;
    },
  };
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof errors.JWTExpired) return tokenExpired();
  if (error instanceof errors.JWKSNoMatchingKey) return unknownKey();
  if (error instanceof errors.JOSEAlgNotAllowed) return invalidToken('The access token uses a refused algorithm.');
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return invalidToken('The access token is malformed.');
  // A bad signature, a wrong iss/aud, or a published key that cannot be used: all the caller's token.
  return invalidToken();
}

/** A local key set over the last fetched JWKS, rebuilt only when that set changes. */
function lastGoodKeys(): (jwks: JSONWebKeySet) => KeySet {
  let cached: { json: string; set: KeySet } | undefined;
  return (jwks) => {
    const json = JSON.stringify(jwks);
    if (cached?.json !== json) cached = { json, set: createLocalJWKSet(jwks) };
    return cached.set;
  };
}
