import { z } from 'zod';
import { booleanFlag, loadConfig, logLevel, port, trustProxy } from '@parley/platform';

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);


/** Every environment variable the auth service reads (see README.md for the table). */
export const authConfigSchema = z.object({
  AUTH_PORT: port(4001),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: logLevel,
  NODE_ENV: z.string().default('development'),
  /** Exactly one hop, the gateway: it sends the client it counted as the last X-Forwarded-For entry. */
  TRUST_PROXY: trustProxy('1'),
  /** The internal metrics listener (GET /metrics); never published, see docs/operations.md. */
  METRICS_PORT: port(9401),
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** A client slower than this to send its request headers / its whole request is answered 408 and cut. */
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(10_000),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(30_000),
  DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
  MIGRATE_ON_START: booleanFlag(true),
  PARLEY_DATA_DIR: z.string().min(1).default('./.parley-data'),
  AUTH_ISSUER: z.string().min(1).default('parley-auth'),
  AUTH_AUDIENCE: z.string().min(1).default('parley'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  AUTH_SIGNING_KEY: z.string().min(1).optional(),
  AUTH_SIGNING_KEY_FILE: z.string().min(1).optional(),
  /** Attempts on one account from one address per window (a guesser locks out only themselves). */
  LOGIN_RATE_LIMIT_PER_ADDRESS_ACCOUNT: positiveInt(10),
  /** Attempts on one account per window from addresses it never logged in from (distributed guessing). */
  LOGIN_RATE_LIMIT_PER_ACCOUNT: positiveInt(50),
  LOGIN_RATE_LIMIT_PER_IP: positiveInt(100),
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: positiveInt(900),
  REGISTER_RATE_LIMIT_PER_IP: positiveInt(20),
  REGISTER_RATE_LIMIT_WINDOW_SECONDS: positiveInt(3600),
  /** Refresh-token exchanges per client address per window (a widget refreshes every ~15 minutes). */
  REFRESH_RATE_LIMIT_PER_IP: positiveInt(300),
  REFRESH_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  /** Set when several auth nodes run: their rate limits are then one budget, counted in this Redis. */
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(),
  /** Publisher sign-on exchanges (POST /auth/sso) per client address per window. */
  SSO_RATE_LIMIT_PER_IP: positiveInt(60),
  SSO_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  /** OpenID Connect login steps (start, callback, code exchange) per client address per window. */
  OIDC_RATE_LIMIT_PER_IP: positiveInt(60),
  OIDC_RATE_LIMIT_WINDOW_SECONDS: positiveInt(60),
  /** Wrong second-factor codes (TOTP or recovery) per staff account per window, from anywhere. */
  SECOND_FACTOR_RATE_LIMIT_PER_ACCOUNT: positiveInt(5),
  SECOND_FACTOR_RATE_LIMIT_WINDOW_SECONDS: positiveInt(900),
  /** Outgoing mail (docs/operations.md, "Mail"): smtp://user:pass@host:587 or smtps://…:465. Secret. Unset: mail waits in the outbox (`pnpm start` catches it at /dev/mail). */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL').optional(),
  MAIL_FROM: z.string().min(3).default('Parley <no-reply@localhost>'),
  /** How often the sender looks at the outbox (it is also woken right after a mail is queued). */
  MAIL_POLL_INTERVAL_MS: positiveInt(5_000),
  /** Tries before a mail is given up; with backoff doubling from 30 s to 30 min, 60 tries span about a day. */
  MAIL_MAX_ATTEMPTS: positiveInt(60),
  /** Verification, reset and email-change requests per client address per window (also per address mailed). */
  MAIL_LINK_RATE_LIMIT_PER_IP: positiveInt(20),
  MAIL_LINK_RATE_LIMIT_PER_EMAIL: positiveInt(5),
  MAIL_LINK_RATE_LIMIT_WINDOW_SECONDS: positiveInt(3600),
  /** The comments service's internal address: auth asks it whether a site exists (SSO keys, OIDC) and hands it confirmed addresses (imported authors' claims). */
  COMMENTS_INTERNAL_URL: z.string().refine((value) => URL.canParse(value), 'must be a URL like http://127.0.0.1:4002').default('http://127.0.0.1:4002'),
  /** Set by the embedded launcher: lets the local `pnpm parley` reach the running Parley's internal commands. */
  PARLEY_CONTROL_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
  /** Parley's public origin(s), comma-separated: pages there (the console) may hold staff sessions besides the gateway's own Host. */
  PUBLIC_URL: z
    .string()
    .optional()
    .refine((value) => (value ?? '').split(',').every((entry) => entry.trim() === '' || URL.canParse(entry.trim())), 'must be URLs like https://comments.example.com, comma-separated'),
});

type AuthEnv = z.output<typeof authConfigSchema>;

export interface AuthConfig {
  port: number;
  host: string;
  logLevel: AuthEnv['LOG_LEVEL'];
  /** True when NODE_ENV is "production": no generated signing keys. */
  production: boolean;
  trustProxy: boolean | number | string;
  metrics: { port: number; host: string };
  http: { headersTimeoutMs: number; requestTimeoutMs: number };
  /** Unset in embedded mode, where the launcher hands over a PGlite instance. */
  databaseUrl: string | undefined;
  migrateOnStart: boolean;
  dataDir: string;
  issuer: string;
  audience: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlDays: number;
  /** The embedded launcher's token for the local command line (see accounts/admins.ts); unset elsewhere. */
  controlToken: string | undefined;
  /** Origins whose pages may obtain staff sessions, besides a page on the Host the gateway was called with. */
  publicOrigins: string[];
  signingKey: { pem: string | undefined; file: string | undefined };
  rateLimits: {
    loginPerAddressAccount: { points: number; durationSeconds: number };
    loginPerAccount: { points: number; durationSeconds: number };
    loginPerIp: { points: number; durationSeconds: number };
    registerPerIp: { points: number; durationSeconds: number };
    ssoPerIp: { points: number; durationSeconds: number };
    refreshPerIp: { points: number; durationSeconds: number };
    oidcPerIp: { points: number; durationSeconds: number };
    secondFactorPerAccount: { points: number; durationSeconds: number };
    mailLinksPerIp: { points: number; durationSeconds: number };
    mailLinksPerEmail: { points: number; durationSeconds: number };
  };
  /** Shared rate limits across auth nodes; unset = counted in this process. */
  redisUrl: string | undefined;
  /** Where auth asks the comments service about sites (`/internal/sites/:id`). */
  commentsInternalUrl: string;
  mail: {
    smtpUrl: string | undefined;
    from: string;
    pollMs: number;
    maxAttempts: number;
    /** Where mailed links point: the first PUBLIC_URL, else the gateway's default address. */
    linkBaseUrl: string;
  };
}

function toAuthConfig(env: AuthEnv): AuthConfig {
  return {
    port: env.AUTH_PORT,
    host: env.HOST,
    logLevel: env.LOG_LEVEL,
    production: env.NODE_ENV === 'production',
    trustProxy: env.TRUST_PROXY,
    metrics: { port: env.METRICS_PORT, host: env.METRICS_HOST },
    http: { headersTimeoutMs: env.HTTP_HEADERS_TIMEOUT_MS, requestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS },
    databaseUrl: env.DATABASE_URL,
    migrateOnStart: env.MIGRATE_ON_START,
    dataDir: env.PARLEY_DATA_DIR,
    issuer: env.AUTH_ISSUER,
    audience: env.AUTH_AUDIENCE,
    accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    controlToken: env.PARLEY_CONTROL_TOKEN,
    publicOrigins: (env.PUBLIC_URL ?? '')
      .split(',')
      .map((value) => value.trim())
      .filter(Boolean)
      .map((value) => new URL(value).origin),
    signingKey: { pem: env.AUTH_SIGNING_KEY, file: env.AUTH_SIGNING_KEY_FILE },
    rateLimits: {
      loginPerAddressAccount: { points: env.LOGIN_RATE_LIMIT_PER_ADDRESS_ACCOUNT, durationSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS },
      loginPerAccount: { points: env.LOGIN_RATE_LIMIT_PER_ACCOUNT, durationSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS },
      loginPerIp: { points: env.LOGIN_RATE_LIMIT_PER_IP, durationSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS },
      registerPerIp: { points: env.REGISTER_RATE_LIMIT_PER_IP, durationSeconds: env.REGISTER_RATE_LIMIT_WINDOW_SECONDS },
      ssoPerIp: { points: env.SSO_RATE_LIMIT_PER_IP, durationSeconds: env.SSO_RATE_LIMIT_WINDOW_SECONDS },
      refreshPerIp: { points: env.REFRESH_RATE_LIMIT_PER_IP, durationSeconds: env.REFRESH_RATE_LIMIT_WINDOW_SECONDS },
      oidcPerIp: { points: env.OIDC_RATE_LIMIT_PER_IP, durationSeconds: env.OIDC_RATE_LIMIT_WINDOW_SECONDS },
      secondFactorPerAccount: { points: env.SECOND_FACTOR_RATE_LIMIT_PER_ACCOUNT, durationSeconds: env.SECOND_FACTOR_RATE_LIMIT_WINDOW_SECONDS },
      mailLinksPerIp: { points: env.MAIL_LINK_RATE_LIMIT_PER_IP, durationSeconds: env.MAIL_LINK_RATE_LIMIT_WINDOW_SECONDS },
      mailLinksPerEmail: { points: env.MAIL_LINK_RATE_LIMIT_PER_EMAIL, durationSeconds: env.MAIL_LINK_RATE_LIMIT_WINDOW_SECONDS },
    },
    commentsInternalUrl: env.COMMENTS_INTERNAL_URL,
    redisUrl: env.REDIS_URL,
    mail: {
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      pollMs: env.MAIL_POLL_INTERVAL_MS,
      maxAttempts: env.MAIL_MAX_ATTEMPTS,
      linkBaseUrl: ((env.PUBLIC_URL ?? '').split(',').map((value) => value.trim()).find(Boolean) ?? 'http://localhost:8080').replace(/\/+$/, ''),
    },
  };
}

/** Reads the auth service's configuration once; every bad variable is reported in one error. */
export function loadAuthConfig(env: Record<string, string | undefined> = process.env): AuthConfig {
  const schema = authConfigSchema
    .refine((env) => env.HTTP_HEADERS_TIMEOUT_MS <= env.HTTP_REQUEST_TIMEOUT_MS, {
      message: 'must not be longer than HTTP_REQUEST_TIMEOUT_MS',
      path: ['HTTP_HEADERS_TIMEOUT_MS'],
    })
    .transform(toAuthConfig);
  return loadConfig(schema, env, 'auth');
}
