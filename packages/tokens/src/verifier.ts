import { createPublicKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AccessTokenClaims, JwksResponse } from '@parley/contracts';
import { AppError, invalidToken, serviceUnavailable, tokenExpired } from '@parley/platform';
import { accessTokenAlgorithm } from './keys';

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  /** Where the auth service publishes its keys. */
  jwksUrl?: string;
  /** Keys known up front (tests, or a deployment that pins keys); used before any fetch. */
  keys?: JwksResponse['keys'];
  /** How long fetched keys are trusted before they are fetched again. */
  cacheSeconds?: number;
  /** An unknown `kid` triggers a refetch at most this often, so junk tokens can't hammer auth. */
  refetchCooldownSeconds?: number;
  fetchTimeoutMs?: number;
  now?: () => number;
}

export interface TokenVerifier {
  verify(token: string): Promise<AccessTokenClaims>;
}

/**
 * Verifies access tokens locally against the auth service's JWKS: ES256 only, issuer and audience
 * checked, keys cached and refetched on an unknown key id. Never calls auth per request.
 */
export function createTokenVerifier(options: TokenVerifierOptions): TokenVerifier {
  const cacheMs = (options.cacheSeconds ?? 600) * 1000;
  const cooldownMs = (options.refetchCooldownSeconds ?? 30) * 1000;
  const now = options.now ?? Date.now;
  let keys = toKeyMap(options.keys ?? []);
  let fetchedAt = options.keys ? now() : 0;
  let inflight: Promise<void> | undefined;

  async function refresh(): Promise<void> {
    if (!options.jwksUrl) return;
    inflight ??= (async () => {
      try {
        const response = await fetch(options.jwksUrl!, { signal: AbortSignal.timeout(options.fetchTimeoutMs ?? 3000) });
        if (!response.ok) throw new Error(`JWKS answered ${response.status}`);
        const parsed = JwksResponse.parse(await response.json());
        keys = toKeyMap(parsed.keys);
        fetchedAt = now();
      } finally {
        inflight = undefined;
      }
    })();
    await inflight;
  }

  async function keyFor(kid: string): Promise<KeyObject | undefined> {
    const stale = now() - fetchedAt > cacheMs;
    const unknownAndCool = !keys.has(kid) && now() - fetchedAt > cooldownMs;
    if (options.jwksUrl && (stale || unknownAndCool)) {
      try {
        await refresh();
      } catch {
        // Keep serving with the keys we have; with none at all, say the dependency is down.
        if (keys.size === 0) throw serviceUnavailable('Token keys are not available yet; try again shortly.');
      }
    }
    return keys.get(kid);
  }

  return {
    async verify(token) {
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string') throw invalidToken('The access token is malformed.');
      if (decoded.header.alg !== accessTokenAlgorithm) throw invalidToken('The access token uses a refused algorithm.');
      const kid = decoded.header.kid;
      if (!kid) throw invalidToken('The access token names no key.');
      const key = await keyFor(kid);
      if (!key) throw invalidToken('The access token was signed with an unknown key.');
      let payload: unknown;
      try {
        payload = jwt.verify(token, key, {
          algorithms: [accessTokenAlgorithm],
          issuer: options.issuer,
          audience: options.audience,
          clockTimestamp: Math.floor(now() / 1000),
        });
      } catch (error) {
        if (error instanceof jwt.TokenExpiredError) throw tokenExpired();
        if (error instanceof AppError) throw error;
        throw invalidToken();
      }
      const claims = AccessTokenClaims.safeParse(payload);
      if (!claims.success) throw invalidToken('The access token is missing required claims.');
      return claims.data;
    },
  };
}

function toKeyMap(jwks: JwksResponse['keys']): Map<string, KeyObject> {
  const map = new Map<string, KeyObject>();
  for (const jwk of jwks) {
    if (jwk.alg !== accessTokenAlgorithm || jwk.kty !== 'EC') continue;
    try {
      map.set(jwk.kid, createPublicKey({ key: jwk as import('node:crypto').JsonWebKey, format: 'jwk' }));
    } catch {
      // A malformed key in the set is skipped, not fatal.
    }
  }
  return map;
}
