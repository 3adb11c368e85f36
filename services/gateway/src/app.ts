import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import express from 'express';
import helmet from 'helmet';
import {
  accessLog,
  createMetrics,
  errorHandler,
  healthRoutes,
  RateLimiter,
  requestContext,
  routeNotFound,
  sharedRedis,
  type Logger,
  type Registry,
} from '@parley/platform';
import { importUploadPath } from '@parley/contracts';
import { clientAddresses } from './client-address';
import type { GatewayConfig } from './config';
import { createAllowedOrigins } from './cors/allowed-origins';
import { cors } from './cors/cors';
import { createLiveSockets } from './live-sockets';
import { createUpstreamPool, type UpstreamPool } from './proxy/upstream-pool';
import { createUpstreamProxy } from './proxy/upstream-proxy';
import { widgetFiles } from './widget/widget-files';
import { devMailRoutes } from './dev-mail';
import type { MailCatcher } from '@parley/mail';
import { openApiRoutes, type OpenApiDocument } from '@parley/openapi';
import { routes } from './routes';

export interface GatewayDeps {
  config: GatewayConfig;
  logger: Logger;
  /** The embedded stack's mail catcher: shown at /dev/mail. Never set in production (services run on their own). */
  devMail?: MailCatcher;
}

export interface GatewayApp {
  app: express.Express;
  /** The gateway's Prometheus registry; main.ts serves it on the metrics listener, never on `app`. */
  metrics: Registry;
  /** Loads what the gateway needs before taking traffic (the CORS allow-list). */
  ready(): Promise<void>;
  /**
   * Routes WebSocket upgrades on `server` (the live stream at /socket.io/) to the comments service,
   * within the same per-address budget as HTTP and at most `maxSocketsPerAddress` open per address.
   */
  attach(server: http.Server): void;
  stop(): Promise<void>;
}

/**
 * The only public origin: request ids, security headers, CORS, a coarse rate limit, then each
 * path family streamed to the service that owns it. No domain logic and no database here.
 */
export function createGatewayApp({ config, logger, devMail }: GatewayDeps): GatewayApp {
  const app = express();
  app.disable('x-powered-by');
  // One rule for who the client is: express's req.ip, the upgrade handler and the X-Forwarded-For
  // sent to the services all come from this compiled TRUST_PROXY.
  const clients = clientAddresses(config.trustProxy);
  app.set('trust proxy', clients.trust);

  const authNodes = createUpstreamPool({ name: 'auth', targets: [config.upstreams.auth], logger, intervalMs: config.upstreamHealthIntervalMs });
  const commentsNodes = createUpstreamPool({
    name: 'comments',
    targets: config.upstreams.comments,
    logger,
    intervalMs: config.upstreamHealthIntervalMs,
  });
  const allowedOrigins = createAllowedOrigins({
    commentsUrl: () => commentsNodes.pick() ?? config.upstreams.comments[0]!,
    refreshSeconds: config.allowedOriginsRefreshSeconds,
    logger,
  });
  const proxy = createUpstreamProxy({
    timeoutMs: config.upstreamTimeoutMs,
    forwardedHeaders: clients.forwardedHeaders,
    compressMinBytes: config.compressMinBytes,
  });
  // With REDIS_URL every gateway counts the same keys (one budget per client for the deployment);
  // while Redis is away each gateway counts alone.
  const redis = sharedRedis(config.redisUrl, logger, 'the per-client budget and socket cap');
  const limiter = new RateLimiter('gateway', config.rateLimit, 'Too many requests from this address; slow down.', { redis: redis.client });
  const liveSockets = createLiveSockets(config.maxSocketsPerAddress, { redis: redis.client });

  const metrics = createMetrics('gateway');
  metrics.gauge('live_connections', 'WebSocket connections proxied to the comments service', () => liveSockets.size);
  if (config.redisUrl) metrics.gauge('redis_up', 'Whether this gateway reaches the shared Redis (1) or not (0)', () => (redis.up() ? 1 : 0));
  app.use(requestContext(logger));
  app.use(accessLog());
  app.use(metrics.httpMetrics);
  app.use(
    helmet({
      // embed.js and the widget are loaded by publisher pages on other origins.
      crossOriginResourcePolicy: { policy: 'cross-origin' },
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
    }),
  );
  app.use(
    healthRoutes('gateway', {
      auth: async () => {
        if (authNodes.healthy().length === 0) throw new Error('auth is down');
      },
      comments: async () => {
        if (commentsNodes.healthy().length === 0) throw new Error('no comments node is up');
      },
    },
    // Reported, never a reason to be unready: without Redis the budgets count per gateway.
    config.redisUrl
      ? {
          redis: async () => {
            if (!redis.up()) throw new Error('the shared-budget connection is down');
          },
        }
      : {},
    ),
  );
  app.use(cors(allowedOrigins));
  app.use(async (req, _res, next) => {
    try {
      await limiter.consume(clients.of(req));
      next();
    } catch (error) {
      next(error);
    }
  });

  app.use(widgetFiles(config.widgetDir));
  // The API description, generated from the zod contracts: /openapi.json and a browsable /docs.
  app.use(
    openApiRoutes({
      routes,
      upstreamParts: () => Promise.all([upstreamDocument(authNodes), upstreamDocument(commentsNodes)]),
    }),
  );
  if (devMail) app.use(devMailRoutes(devMail));
  app.use('/auth', proxy.to(authNodes));
  // An export file uploaded to the console streams through to one node (the service sets its limit).
  app.use('/api', proxy.to(commentsNodes, { streamBody: (req) => req.method === 'POST' && importUploadPath.test(req.originalUrl) }));
  // Socket.IO runs WebSocket-only (see docs/adr/0005); plain HTTP here gets Socket.IO's own answer.
  app.use('/socket.io', proxy.to(commentsNodes));

  app.use(routeNotFound);
  app.use(errorHandler());

  return {
    app,
    metrics: metrics.registry,
    async ready() {
      await Promise.all([authNodes.check(), commentsNodes.check()]);
      authNodes.start();
      commentsNodes.start();
      await allowedOrigins.refresh();
    },
    attach(server) {
      server.on('upgrade', (req: http.IncomingMessage, socket, head: Buffer) => {
        const path = (req.url ?? '').split('?')[0] ?? '';
        const origin = req.headers.origin;
        // Parley's own pages (the moderator console) connect from the gateway's origin. That origin
        // is allowed here and the header dropped, so comments treats the socket as first-party
        // rather than checking it against publisher sites.
        const sameOrigin = origin !== undefined && hostOf(origin) === req.headers.host;
        if (sameOrigin) delete req.headers.origin;
        const refusal = !path.startsWith('/socket.io/')
          ? '404 Not Found'
          : origin && !sameOrigin && !allowedOrigins.has(origin)
            ? '403 Forbidden'
            : undefined;
        if (refusal) {
          socket.end(`HTTP/1.1 ${refusal}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
          return;
        }
        const address = clients.of(req);
        liveSockets
          .admit(socket, address)
          .then(async (admitted) => {
            if (!admitted) return socket.end(tooMany);
            await limiter.consume(address);
            proxy.upgrade(req, socket, head, commentsNodes, randomUUID());
          })
          .catch(() => socket.end(tooMany));
      });
    },
    async stop() {
      liveSockets.destroyAll();
      await liveSockets.stop();
      await redis.close();
      allowedOrigins.stop();
      authNodes.stop();
      commentsNodes.stop();
      proxy.close();
    },
  };
}

/** An upstream service's part of the API document (from its /internal/openapi.json, which only the gateway reaches). */
async function upstreamDocument(pool: UpstreamPool): Promise<OpenApiDocument> {
  const target = pool.pick();
  if (!target) throw new Error(`no ${pool.name} node is up`);
  const response = await fetch(new URL('/internal/openapi.json', target), { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${pool.name} answered ${response.status} for its API document`);
  return (await response.json()) as OpenApiDocument;
}

/** A refused upgrade, empty like the other refusals; the budget and the socket cap both answer it. */
const tooMany = 'HTTP/1.1 429 Too Many Requests\r\nRetry-After: 60\r\nConnection: close\r\nContent-Length: 0\r\n\r\n';

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
