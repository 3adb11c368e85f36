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
  LOGIN_RATE_LIMIT_PER_ACCOUNT: positiveInt(10),
  LOGIN_RATE_LIMIT_PER_IP: positiveInt(100),
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: positiveInt(900),
  REGISTER_RATE_LIMIT_PER_IP: positiveInt(20),
  REGISTER_RATE_LIMIT_WINDOW_SECONDS: positiveInt(3600),
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
  signingKey: { pem: string | undefined; file: string | undefined };
  rateLimits: {
    loginPerAccount: { points: number; durationSeconds: number };
    loginPerIp: { points: number; durationSeconds: number };
    registerPerIp: { points: number; durationSeconds: number };
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
    signingKey: { pem: env.AUTH_SIGNING_KEY, file: env.AUTH_SIGNING_KEY_FILE },
    rateLimits: {
      loginPerAccount: { points: env.LOGIN_RATE_LIMIT_PER_ACCOUNT, durationSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS },
      loginPerIp: { points: env.LOGIN_RATE_LIMIT_PER_IP, durationSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS },
      registerPerIp: { points: env.REGISTER_RATE_LIMIT_PER_IP, durationSeconds: env.REGISTER_RATE_LIMIT_WINDOW_SECONDS },
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
