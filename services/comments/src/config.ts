import { z } from 'zod';
import { booleanFlag, loadConfig, logLevel, port, trustProxy } from '@parley/platform';

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

/** Every setting the comments service reads from the environment (documented in README.md). */
export const commentsConfigSchema = z
  .object({
    COMMENTS_PORT: port(4002),
    HOST: z.string().min(1).default('127.0.0.1'),
    LOG_LEVEL: logLevel,
    JWKS_URL: z.url().default('http://127.0.0.1:4001/auth/.well-known/jwks.json'),
    AUTH_ISSUER: z.string().min(1).default('parley-auth'),
    AUTH_AUDIENCE: z.string().min(1).default('parley'),
    /** The auth service's internal address (account lookups for bans); default: the origin of JWKS_URL. */
    AUTH_INTERNAL_URL: z.url().optional(),
    /** Set by the embedded launcher: lets the local `pnpm parley sites` reach this running Parley. */
    PARLEY_CONTROL_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
    /** Where auth lists revoked sessions (default: beside JWKS_URL); `off` only for tests that bring their own list. */
    REVOCATIONS_URL: z.union([z.url(), z.literal('off')]).optional(),
    /** How often to ask; a logout or role change is refused here at most this long after it happened. */
    REVOCATIONS_POLL_MS: z.coerce.number().int().min(100).max(30_000).default(1000),
    /** The access-token lifetime: how long a revocation must be remembered. */
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    EDIT_WINDOW_SECONDS: z.coerce.number().int().min(0).default(900),
    COMMENT_RATE_LIMIT: positiveInt(10),
    COMMENT_RATE_WINDOW_SECONDS: positiveInt(60),
    REACTION_RATE_LIMIT: positiveInt(60),
    REACTION_RATE_WINDOW_SECONDS: positiveInt(60),
    REPORT_RATE_LIMIT: positiveInt(20),
    REPORT_RATE_WINDOW_SECONDS: positiveInt(3600),
    /** Previews of a comment body (POST /api/preview): generous, a writer may look several times per comment. */
    PREVIEW_RATE_LIMIT: positiveInt(60),
    PREVIEW_RATE_WINDOW_SECONDS: positiveInt(60),
    /** Exactly one hop, the gateway: it sends the client it counted as the last X-Forwarded-For entry. */
    TRUST_PROXY: trustProxy('1'),
    /** The internal metrics listener (GET /metrics); never published, see docs/operations.md. */
    METRICS_PORT: port(9402),
    METRICS_HOST: z.string().min(1).default('127.0.0.1'),
    /** A client slower than this to send its request headers / its whole request is answered 408 and cut. */
    HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
    HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000),
    /** Only the standalone process (main.ts) reads these two; the embedded launcher brings its own database. */
    DATABASE_URL: z.string().startsWith('postgres', 'must be a postgres:// or postgresql:// URL').optional(),
    /** The live relay's LISTEN connection, when DATABASE_URL goes through a transaction-mode pooler (PgBouncer) that can't LISTEN. */
    DATABASE_LISTEN_URL: z.string().startsWith('postgres', 'must be a postgres:// or postgresql:// URL').optional(),
    MIGRATE_ON_START: booleanFlag(true),
    /** On SIGTERM, answer /readyz 503 for this long before closing, so gateways route around the node. */
    SHUTDOWN_DRAIN_MS: z.coerce.number().int().min(0).max(60_000).default(0),
    /** Set when several comments nodes run: live events then travel between them through Redis. */
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
    LIVE_MAX_PAYLOAD_BYTES: z.coerce.number().int().min(1024).max(65_536).default(16_384),
    LIVE_MAX_ARTICLES_PER_SOCKET: positiveInt(10),
    LIVE_MESSAGE_LIMIT: positiveInt(30),
    LIVE_MESSAGE_WINDOW_SECONDS: positiveInt(10),
    LIVE_MAX_CATCH_UP_EVENTS: positiveInt(500),
    /** Quiet article rooms hear their article's seq this often, so a reader that missed a push finds the gap. */
    LIVE_HEARTBEAT_SECONDS: z.coerce.number().min(0.1).max(300).default(5),
    /** On shutdown, connections still open after this long are cut. */
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
    /** Memory for shared (anonymous) thread pages, compressed copies included; 0 turns the cache off. */
    THREAD_CACHE_BYTES: z.coerce.number().int().min(0).default(64 * 1024 * 1024),
    /** How long a CDN or browser may keep an anonymous thread page or count… */
    PUBLIC_CACHE_MAX_AGE_SECONDS: z.coerce.number().int().min(0).max(3600).default(2),
    /** …and keep serving it while it fetches the next one. */
    PUBLIC_CACHE_STALE_SECONDS: z.coerce.number().int().min(0).max(86_400).default(30),
    /** The largest export file the console may upload (bytes); bigger ones are answered 413 and use `pnpm parley import`. */
    IMPORT_UPLOAD_MAX_BYTES: z.coerce.number().int().min(1).default(100 * 1024 * 1024),
    /** Formats read whole (Commento's JSON) are refused over this many bytes in an upload: the service keeps its memory. */
    IMPORT_UPLOAD_WHOLE_FILE_MAX_BYTES: z.coerce.number().int().min(1).default(16 * 1024 * 1024),
    /** A follower of a discussion gets at most one digest of its new comments this often (the first comment opens the batch). */
    FOLLOW_DIGEST_MINUTES: z.coerce.number().min(0.01).max(7 * 24 * 60).default(30),
    /** How often each node checks the event log for notices (the lease holder hears its own writes at once). */
    NOTIFICATIONS_POLL_SECONDS: z.coerce.number().min(0.05).max(300).default(5),
  })
  .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
    message: 'must not be longer than HTTP_REQUEST_TIMEOUT_MS',
    path: ['HTTP_HEADERS_TIMEOUT_MS'],
  })
  .transform((env) => ({
    port: env.COMMENTS_PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    /** Token verification: where auth publishes its keys, and the issuer/audience tokens must name. */
    jwksUrl: env.JWKS_URL,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    authInternalUrl: env.AUTH_INTERNAL_URL ?? new URL(env.JWKS_URL).origin,
    controlToken: env.PARLEY_CONTROL_TOKEN,
    revocations: {
      url: env.REVOCATIONS_URL === 'off' ? undefined : (env.REVOCATIONS_URL ?? new URL('/internal/revoked-sessions', env.JWKS_URL).toString()),
      pollMs: env.REVOCATIONS_POLL_MS,
      retainSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    },
    /** Used for sites whose settings don't name their own edit window. */
    editWindowSeconds: env.EDIT_WINDOW_SECONDS,
    commentRateLimit: { points: env.COMMENT_RATE_LIMIT, durationSeconds: env.COMMENT_RATE_WINDOW_SECONDS },
    reactionRateLimit: { points: env.REACTION_RATE_LIMIT, durationSeconds: env.REACTION_RATE_WINDOW_SECONDS },
    reportRateLimit: { points: env.REPORT_RATE_LIMIT, durationSeconds: env.REPORT_RATE_WINDOW_SECONDS },
    previewRateLimit: { points: env.PREVIEW_RATE_LIMIT, durationSeconds: env.PREVIEW_RATE_WINDOW_SECONDS },
    trustProxy: env.TRUST_PROXY,
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST },
    http: { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS },
    databaseUrl: env.DATABASE_URL,
    databaseListenUrl: env.DATABASE_LISTEN_URL,
    migrateOnStart: env.MIGRATE_ON_START,
    shutdownDrainMs: env.SHUTDOWN_DRAIN_MS,
    redisUrl: env.REDIS_URL,
    live: {
      /** Socket.IO's maxHttpBufferSize: a bigger message closes that socket. */
      maxPayloadBytes: env.LIVE_MAX_PAYLOAD_BYTES,
      maxArticlesPerSocket: env.LIVE_MAX_ARTICLES_PER_SOCKET,
      messageLimit: { points: env.LIVE_MESSAGE_LIMIT, durationSeconds: env.LIVE_MESSAGE_WINDOW_SECONDS },
      /** A client further behind than this is told to reload the thread instead of replaying. */
      maxCatchUpEvents: env.LIVE_MAX_CATCH_UP_EVENTS,
      /** Also how often the relay checks the log itself for rooms it may have missed a wake for. */
      heartbeatMs: Math.round(env.LIVE_HEARTBEAT_SECONDS * 1000),
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    },
    importUpload: { maxBytes: env.IMPORT_UPLOAD_MAX_BYTES, wholeFileMaxBytes: env.IMPORT_UPLOAD_WHOLE_FILE_MAX_BYTES },
    notifications: {
      digestWindowMs: Math.round(env.FOLLOW_DIGEST_MINUTES * 60_000),
      pollMs: Math.round(env.NOTIFICATIONS_POLL_SECONDS * 1000),
    },
    threadCache: {
      maxBytes: env.THREAD_CACHE_BYTES,
      publicCaching: { maxAgeSeconds: env.PUBLIC_CACHE_MAX_AGE_SECONDS, staleWhileRevalidateSeconds: env.PUBLIC_CACHE_STALE_SECONDS },
    },
  }));

export type CommentsConfig = Readonly<z.output<typeof commentsConfigSchema>>;

export function loadCommentsConfig(env: Record<string, string | undefined> = process.env): CommentsConfig {
  return loadConfig(commentsConfigSchema, env, 'comments');
}
