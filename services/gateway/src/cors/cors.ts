import type { RequestHandler } from 'express';
import { AppError } from '@parley/platform';
import type { AllowedOrigins } from './allowed-origins';

const allowedMethods = 'GET, POST, PUT, PATCH, DELETE, OPTIONS';
const allowedHeaders = 'Authorization, Content-Type, X-Request-Id';
const exposedHeaders = 'X-Request-Id, Retry-After';

/**
 * Staff powers (moderation, administration, roles) are for Parley's own pages only: no publisher
 * origin may call them from a browser, whatever its site allows. The session scope already refuses
 * a publisher page's token there (ADR 0006); this is the second wall.
 */
const staffOnlyPaths = /^\/(api\/moderation|api\/admin|auth\/users|auth\/admin)(\/|$)/;

const sameOrigin = (origin: string, host: string | undefined) => {
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
};

/**
 * CORS for publisher pages: only origins listed on a site may call the API from a browser. No
 * credentials mode — the widget sends Bearer tokens, not cookies — so a listed origin is echoed
 * back and nothing else is. A preflight from an unlisted origin is refused outright, and so is one
 * from any other origin than Parley's own for the staff paths.
 */
export function cors(allowed: AllowedOrigins): RequestHandler {
  return (req, res, next) => {
    const origin = req.get('origin');
    res.vary('Origin');
    const isPreflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (!origin) return next();
    const staffOnly = staffOnlyPaths.test(req.path);
    if (staffOnly && sameOrigin(origin, req.get('host'))) return next();
    if (staffOnly || !allowed.has(origin)) {
      if (isPreflight) return next(new AppError(403, 'origin_not_allowed', `The origin ${origin} is not allowed to use this API.`));
      return next();
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Expose-Headers', exposedHeaders);
    if (isPreflight) {
      res.setHeader('Access-Control-Allow-Methods', allowedMethods);
      res.setHeader('Access-Control-Allow-Headers', allowedHeaders);
      res.setHeader('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  };
}
