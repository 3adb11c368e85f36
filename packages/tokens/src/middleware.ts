import type { AccessTokenClaims, Viewer } from '@parley/contracts';
import { invalidToken, type Authenticator } from '@parley/platform';
import type { TokenVerifier } from './verifier';

export type { Viewer } from '@parley/contracts';

/** The viewer an access token's claims identify. */
export const viewerOf = (claims: AccessTokenClaims): Viewer => ({
  id: claims.sub,
  name: claims.name,
  role: claims.role,
  scope: claims.scope,
  sessionId: claims.sid,
  sites: claims.sites ?? [],
  provider: claims.idp ?? 'parley',
  ...(claims.badge ? { badge: claims.badge } : {}),
  emailVerified: claims.email_verified === true,
});

function bearer(header: string | undefined): string | undefined | null {
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  return match ? match[1] : null;
}

/**
 * Reads the viewer from an `Authorization: Bearer <access token>` header: none without the header,
 * and a 401 for a header or token that is not valid (a bad token is never silently anonymous).
 */
export function bearerAuthenticator(verifier: TokenVerifier): Authenticator {
  return async (header) => {
    const token = bearer(header);
    if (token === null) throw invalidToken('The Authorization header must be "Bearer <token>".');
    if (token === undefined) return undefined;
    const claims = await verifier.verify(token);
    return viewerOf(claims);
  };
}
