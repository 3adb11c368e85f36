import express from 'express';
import helmet from 'helmet';
import {
  accessLog,
  errorHandler,
  healthRoutes,
  RateLimiter,
  requestContext,
  routeNotFound,
  type Logger,
} from '@parley/platform';
import type { GatewayConfig } from './config';
import { createAllowedOrigins } from './cors/allowed-origins';
import { cors } from './cors/cors';
import { createUpstreamProxy } from './proxy/upstream-proxy';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
}

export interface GatewayApp {
  app: express.Express;
  /** Loads what the gateway needs before taking traffic (the CORS allow-list). */
  ready(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The only public origin: request ids, security headers, CORS, a coarse rate limit, then each
 * path family streamed to the service that owns it. No domain logic and no database here.
 */
export function createGatewayApp({ config, logger }: GatewayDeps): GatewayApp {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);

  const allowedOrigins = createAllowedOrigins({
    commentsUrl: config.upstreams.comments,
    refreshSeconds: config.allowedOriginsRefreshSeconds,
    logger,
  });
  const proxy = createUpstreamProxy({ timeoutMs: config.upstreamTimeoutMs });
  const limiter = new RateLimiter('gateway', config.rateLimit, 'Too many requests from this address; slow down.');

  app.use(requestContext(logger));
  app.use(accessLog());
  app.use(
    helmet({
      // embed.js and the widget are loaded by publisher pages on other origins.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
    }),
  );
  app.use(healthRoutes('gateway', upstreamChecks(config)));
  app.use(cors(allowedOrigins));
  app.use(async (req, _res, next) => {
    try {
      await limiter.consume(req.ip ?? 'unknown');
      next();
    } catch (error) {
      next(error);
    }
  });

  app.use('/auth', proxy.to(config.upstreams.auth));
  app.use('/api', proxy.to(config.upstreams.comments));

  app.use(routeNotFound);
  app.use(errorHandler());

  return {
    app,
    ready: () => allowedOrigins.refresh(),
    async stop() {
      allowedOrigins.stop();
      proxy.close();
    },
  };
}

function upstreamChecks(config: GatewayConfig) {
  const check = (base: string) => async () => {
    const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1500) });
    if (!response.ok) throw new Error(`answered ${response.status}`);
  };
  return { auth: check(config.upstreams.auth), comments: check(config.upstreams.comments) };
}
