import { createPrivateKey, randomUUID, sign as signBytes } from 'node:crypto';
import { isStaff, type AccessTokenClaims } from '@parley/contracts';
import { accessTokenAlgorithm, generateSigningKeyPem, publicJwk, type PublicJwk } from './keys';
import { createTokenVerifier, type TokenVerifier } from './verifier';

export const testIssuer = 'parley-auth';
export const testAudience = 'parley';

export interface TestTokens {
  /** Public keys to hand to a verifier (or to serve as JWKS). */
  keys: PublicJwk[];
  verifier: TokenVerifier;
  /**
   * Signs a real ES256 access token, as the auth service would; override claims to build bad ones
   * (a claim set to `undefined` is left out of the token).
   */
  sign(claims: Partial<AccessTokenClaims> & { sub: string }, options?: { expiresInSeconds?: number }): string;
}

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * A real key pair and signer for tests of services that verify tokens (not a mock: the verifier
 * checks signatures, algorithm, issuer, audience and expiry exactly as in production).
 */
export function createTestTokens(): TestTokens {
  const privateKey = createPrivateKey(generateSigningKeyPem());
  const jwk = publicJwk(privateKey);
  return {
    keys: [jwk],
    verifier: createTokenVerifier({ issuer: testIssuer, audience: testAudience, keys: [jwk] }),
    sign(claims, options = {}) {
      const now = Math.floor(Date.now() / 1000);
      const role = claims.role ?? 'reader';
      const payload = {
        name: 'Test Reader',
        role,
        // A staff account's token is a console (staff) session unless the test says otherwise.
        scope: isStaff(role) ? 'staff' : 'participant',
        sid: randomUUID(),
        // A moderator of every site unless the test names some.
        ...(role === 'moderator' ? { sites: ['*'] } : {}),
        iss: testIssuer,
        aud: testAudience,
        jti: randomUUID(),
        iat: now,
        exp: now + (options.expiresInSeconds ?? 900),
        ...claims,
      };
      // Signed with node:crypto rather than jose's SignJWT because SignJWT is async and callers
      // build tokens inline; ES256 is just SHA-256 ECDSA with the raw r||s signature encoding.
      const input = `${base64url({ alg: accessTokenAlgorithm, typ: 'JWT', kid: jwk.kid })}.${base64url(payload)}`;
      const signature = signBytes('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' });
      return `${input}.${signature.toString('base64url')}`;
    },
  };
}
