import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError } from './errors';

/** The header the local `pnpm parley` proves itself with to a running embedded Parley. */
export const controlTokenHeader = 'x-parley-control-token';

/**
 * Guards `/internal/control…` routes: only a caller holding the launcher's control token (kept in
 * the data folder, readable by its owner only) gets through; anyone else gets 403 and nothing runs.
 */
export function requireControlToken(controlToken: string): RequestHandler {
  const expected = Buffer.from(controlToken);
  return (req, _res, next) => {
    const given = Buffer.from(req.get(controlTokenHeader) ?? '');
    if (given.length === expected.length && timingSafeEqual(given, expected)) return next();
    next(new AppError(403, 'forbidden', 'This needs the control token of the running Parley (pnpm parley reads it from the data folder).'));
  };
}
