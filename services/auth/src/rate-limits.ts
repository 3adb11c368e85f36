import type { RequestHandler } from 'express';
import type { RateLimiter } from '@parley/platform';

/**
 * Counts a request against the client's address. `req.ip` honours the `trust proxy` setting, so
 * behind the gateway it is the browser's address from X-Forwarded-For, not the gateway's.
 */
export function limitPerClient(limiter: RateLimiter): RequestHandler {
  return async (req, _res, next) => {
    try {
      await limiter.consume(req.ip ?? req.socket.remoteAddress ?? 'unknown');
      next();
    } catch (error) {
      next(error);
    }
  };
}
