import path from 'node:path';
import { z } from 'zod';
import { loadConfig, logLevel, port, trustProxy } from '@parley/platform';
import { compileTrust, type TrustProxySetting } from './client-address';

const url = z.url('must be a URL like http://127.0.0.1:4001').transform((value) => value.replace(/\/+$/, ''));
const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const readable = (setting: TrustProxySetting) => {
  try {
    compileTrust(setting);
    return true;
  } catch {
    return false;
  }
};

export const gatewayConfigSchema = z
  .object({
    PORT: port(8080),
    HOST: z.string().default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    AUTH_URL: url.default('http://127.0.0.1:4001'),
    COMMENTS_URL: url.default('http://127.0.0.1:4002'),
    /** Several comments nodes, comma-separated; overrides COMMENTS_URL. */
    COMMENTS_URLS: z
      .string()
      .transform((list) => list.split(',').map((entry) => entry.trim()).filter(Boolean))
      .pipe(z.array(url).min(1, 'must list at least one URL'))
      .optional(),
    /** How often each upstream's /readyz is checked. */
    UPSTREAM_HEALTH_INTERVAL_MS: positiveInt(2000),
    /** How long an upstream may take before the gateway answers 504. */
    UPSTREAM_TIMEOUT_MS: positiveInt(10_000),
    /** How often the CORS allow-list is reloaded from the comments service. */
    ALLOWED_ORIGINS_REFRESH_SECONDS: positiveInt(30),
    /** Coarse per-client budget across all routes; services apply the fine-grained limits. */
    GATEWAY_RATE_LIMIT: positiveInt(1200),
    GATEWAY_RATE_WINDOW_SECONDS: positiveInt(60),
    /**
     * Which proxies in front of the gateway (a TLS terminator, a load balancer) may say who the
     * client is in X-Forwarded-For; as express's "trust proxy", for HTTP and WebSocket upgrades alike.
     */
    TRUST_PROXY: trustProxy('false').refine(readable, {
      message: 'must be true, false, a hop count, or addresses/subnets/names like "loopback, 10.0.0.0/8"',
    }),
    /** Set when several gateways run: the per-client budget and socket cap are then one count, kept in this Redis. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    /** WebSocket connections one client address may hold open at once; more are refused with 429. */
    LIVE_MAX_SOCKETS_PER_ADDRESS: positiveInt(50),
    /** The internal metrics listener (GET /metrics); never published, see docs/operations.md. */
    METRICS_PORT: port(9400),
    METRICS_HOST: z.string().default('127.0.0.1'),
    /** A client slower than this to send its request headers / its whole request is answered 408 and cut. */
    HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000),
    /** Text answers at least this long that a service sent uncompressed are compressed by the gateway; 0 turns it off. */
    GATEWAY_COMPRESS_MIN_BYTES: z.coerce.number().int().min(0).default(1024),
    /** Where the built widget lives (packages/widget/dist in this repository). */
    WIDGET_DIR: z.string().default(path.resolve(__dirname, '../../../packages/widget/dist')),
  })
  .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
    message: 'must not be longer than HTTP_REQUEST_TIMEOUT_MS',
    path: ['HTTP_HEADERS_TIMEOUT_MS'],
  })
  .transform((env) => ({
    port: env.PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    upstreams: { auth: env.AUTH_URL, comments: env.COMMENTS_URLS ?? [env.COMMENTS_URL] },
    upstreamHealthIntervalMs: env.UPSTREAM_HEALTH_INTERVAL_MS,
    upstreamTimeoutMs: env.UPSTREAM_TIMEOUT_MS,
    allowedOriginsRefreshSeconds: env.ALLOWED_ORIGINS_REFRESH_SECONDS,
    rateLimit: { points: env.GATEWAY_RATE_LIMIT, durationSeconds: env.GATEWAY_RATE_WINDOW_SECONDS },
    trustProxy: env.TRUST_PROXY,
    maxSocketsPerAddress: env.LIVE_MAX_SOCKETS_PER_ADDRESS,
    redisUrl: env.REDIS_URL,
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST },
    http: { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS },
    widgetDir: path.resolve(env.WIDGET_DIR),
    compressMinBytes: env.GATEWAY_COMPRESS_MIN_BYTES,
  }));

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  return loadConfig(gatewayConfigSchema, env, 'gateway');
}
