import { randomUUID, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { isStaff, type AccessTokenClaims, type Scope, type User } from '@parley/contracts';
import { accessTokenAlgorithm, publicJwk, type PublicJwk } from '@parley/tokens';

export interface AccessTokenIssuerOptions {
  key: KeyObject;
  issuer: string;
  audience: string;
  ttlSeconds: number;
  clock: () => Date;
}

export interface AccessTokenIssuer {
  /** The public half of the signing key, as served in the JWKS. */
  readonly jwk: PublicJwk;
  /** An access token of `user` in the session `sessionId`, whose scope the session allows (`staff` only for a staff role). */
  issue(user: User, session: { id: string; scope: Scope }): { accessToken: string; expiresIn: number };
}

/**
 * Signs short-lived ES256 access tokens that other services verify locally against the JWKS.
 * `iat`/`exp` come from the injected clock (not jsonwebtoken's own Date.now) so tests can move time.
 */
export function createAccessTokenIssuer(options: AccessTokenIssuerOptions): AccessTokenIssuer {
  const jwk = publicJwk(options.key);
  return {
    jwk,
    issue(user, session) {
      const iat = Math.floor(options.clock().getTime() / 1000);
      const claims: AccessTokenClaims = {
        sub: user.id,
        name: user.displayName,
        role: user.role,
        scope: session.scope === 'staff' && isStaff(user.role) ? 'staff' : 'participant',
        sid: session.id,
        ...(user.role === 'moderator' ? { sites: user.sites } : {}),
        idp: user.provider ?? 'parley',
        ...(user.badge ? { badge: user.badge } : {}),
        // Read from the account at each issue (login, refresh), so a confirmation shows from the next refresh on.
        email_verified: user.emailVerified === true,
        iss: options.issuer,
        aud: options.audience,
        jti: randomUUID(),
        iat,
        exp: iat + options.ttlSeconds,
      };
      const accessToken = jwt.sign(claims, options.key, { algorithm: accessTokenAlgorithm, keyid: jwk.kid });
      return { accessToken, expiresIn: options.ttlSeconds };
    },
  };
}
