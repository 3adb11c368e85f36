import type { RequestHandler } from 'express';
import type { AccessTokenClaims } from '@parley/contracts';
import { forbidden, invalidToken, unauthenticated } from '@parley/platform';
import type { TokenVerifier } from './verifier';

export interface Viewer {
  id: string;
  name: string;
  role: AccessTokenClaims['role'];
}

declare module 'express-serve-static-core' {
  interface Request {
    /** The logged-in user, when the request carried a valid access token. */
    viewer?: Viewer;
  }
}

function bearer(header: string | undefined): string | undefined | null {
  if (!header) return undefined;
  const match = /^Bearer ([A-Za-z0-9_\-.]+)$/.exec(header.trim());
  return match ? match[1] : null;
}

/**
 * `required`: 401 without a valid token. `optional`: anonymous is fine, but a token that is
 * present must be valid (a bad token is never silently treated as anonymous).
 */
export function authenticate(verifier: TokenVerifier, mode: 'required' | 'optional' = 'required'): RequestHandler {
  return async (req, _res, next) => {
    try {
      const token = bearer(req.get('authorization'));
      if (token === null) throw invalidToken('The Authorization header must be "Bearer <token>".');
      if (token === undefined) {
        if (mode === 'required') throw unauthenticated();
        return next();
      }
      const claims = await verifier.verify(token);
      req.viewer = { id: claims.sub, name: claims.name, role: claims.role };
      next();
    } catch (error) {
      next(error);
    }
  };
}

export function requireRole(...roles: Viewer['role'][]): RequestHandler {
  return (req, _res, next) => {
    if (!req.viewer) return next(unauthenticated());
    if (!roles.includes(req.viewer.role)) return next(forbidden('This needs a moderator or admin account.'));
    next();
  };
}
