import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet, type JWSHeaderParameters, type KeyLike } from 'jose';
import { z } from 'zod';
import { AppError } from '@parley/platform';

/** What a publisher's JWKS may sign sign-on tokens with: pinned, never taken from the token. */
export const jwksAlgorithms = ['RS256', 'ES256'];
/** A Parley-generated secret signs with this one only. */
export const secretAlgorithm = 'HS256';

export const invalidJwks = (message: string) => new AppError(400, 'invalid_jwks', message);

const Jwks = z.object({ keys: z.array(z.looseObject({ kty: z.string() })) });

/**
 * Fetches a JWKS URL an admin registers and checks that it holds at least one key Parley can verify
 * with (RSA or EC P-256 public keys), so a typo is caught when the key is added rather than at the
 * first reader's sign-in.
 */
export async function checkJwksUrl(url: string, timeoutMs = 5000): Promise<void> {
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
    if (!response.ok) throw invalidJwks(`The JWKS URL answered ${response.status}; it must serve the publisher's public keys as JSON.`);
    body = await response.json();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw invalidJwks('The JWKS URL could not be fetched or is not JSON; check the address and that it is reachable from Parley.');
  }
  const jwks = Jwks.safeParse(body);
  if (!jwks.success) throw invalidJwks('The JWKS URL does not serve a JSON Web Key Set ({"keys": [...]}).');
  const usable = jwks.data.keys.filter((key) => {
    if ('d' in key) return false;
    return key.kty === 'RSA' || (key.kty === 'EC' && (key as { crv?: unknown }).crv === 'P-256');
  });
  if (jwks.data.keys.some((key) => 'd' in key)) throw invalidJwks('The JWKS holds a private key; publish only public keys.');
  if (usable.length === 0) throw invalidJwks('The JWKS holds no RSA or EC P-256 public key (RS256 or ES256).');
  try {
    createLocalJWKSet(jwks.data as JSONWebKeySet);
  } catch {
    throw invalidJwks('The JWKS is not a valid JSON Web Key Set.');
  }
}

export type KeySetLookup = (header: JWSHeaderParameters) => Promise<KeyLike>;

/**
 * Remote key sets of publishers, one per URL and kept for the app's life: jose caches the keys
 * (10 minutes), refetches on an unknown kid at most every 30 s, and times out after 3 s.
 */
export function publisherKeySets(): (url: string) => KeySetLookup {
  const sets = new Map<string, KeySetLookup>();
  return (url) => {
    let set = sets.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), { cacheMaxAge: 600_000, cooldownDuration: 30_000, timeoutDuration: 3000 });
      sets.set(url, set);
    }
    return set;
  };
}
