import { loadCommentsConfig } from './config';

describe('loadCommentsConfig', () => {
  it('has working defaults for a local setup', () => {
    expect(loadCommentsConfig({})).toEqual({
      port: 4002,
      host: '127.0.0.1',
      logLevel: 'info',
      jwksUrl: 'http://127.0.0.1:4001/auth/.well-known/jwks.json',
      issuer: 'parley-auth',
      audience: 'parley',
      editWindowSeconds: 900,
      commentRateLimit: { points: 10, durationSeconds: 60 },
      reactionRateLimit: { points: 60, durationSeconds: 60 },
      reportRateLimit: { points: 20, durationSeconds: 3600 },
      previewRateLimit: { points: 60, durationSeconds: 60 },
      trustProxy: 1,
      metrics: { port: 9402, host: '127.0.0.1' },
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
      importUpload: { maxBytes: 100 * 1024 * 1024, wholeFileMaxBytes: 16 * 1024 * 1024 },
      databaseUrl: undefined,
      databaseListenUrl: undefined,
      migrateOnStart: true,
      notifications: { digestWindowMs: 1_800_000, pollMs: 5000 },
      authInternalUrl: 'http://127.0.0.1:4001',
      controlToken: undefined,
      revocations: { url: 'http://127.0.0.1:4001/internal/revoked-sessions', pollMs: 1000, retainSeconds: 900 },
      shutdownDrainMs: 0,
      redisUrl: undefined,
      live: {
        maxPayloadBytes: 16_384,
        maxArticlesPerSocket: 10,
        messageLimit: { points: 30, durationSeconds: 10 },
        maxCatchUpEvents: 500,
        heartbeatMs: 5000,
        shutdownGraceMs: 5000,
      },
      threadCache: { maxBytes: 64 * 1024 * 1024, publicCaching: { maxAgeSeconds: 2, staleWhileRevalidateSeconds: 30 } },
    });
  });

  it('keeps live messages within 64 KB and wants a redis:// URL', () => {
    expect(() => loadCommentsConfig({ LIVE_MAX_PAYLOAD_BYTES: '1000000' })).toThrow(/LIVE_MAX_PAYLOAD_BYTES/);
    expect(() => loadCommentsConfig({ REDIS_URL: 'http://localhost' })).toThrow(/REDIS_URL/);
    expect(loadCommentsConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).redisUrl).toBe('redis://127.0.0.1:6379');
  });

  it('reads overrides and ignores unrelated variables', () => {
    const config = loadCommentsConfig({
      COMMENTS_PORT: '5002',
      EDIT_WINDOW_SECONDS: '60',
      COMMENT_RATE_LIMIT: '3',
      COMMENT_RATE_WINDOW_SECONDS: '10',
      MIGRATE_ON_START: 'false',
      DATABASE_URL: 'postgres://parley@db:5432/parley',
      PATH: '/usr/bin',
    });
    expect(config).toMatchObject({
      port: 5002,
      editWindowSeconds: 60,
      commentRateLimit: { points: 3, durationSeconds: 10 },
      migrateOnStart: false,
      databaseUrl: 'postgres://parley@db:5432/parley',
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('lists every bad variable in one message', () => {
    expect(() => loadCommentsConfig({ COMMENTS_PORT: 'eighty', COMMENT_RATE_LIMIT: '0', JWKS_URL: 'nope' })).toThrow(
      /COMMENTS_PORT[\s\S]*JWKS_URL[\s\S]*COMMENT_RATE_LIMIT|COMMENTS_PORT[\s\S]*COMMENT_RATE_LIMIT[\s\S]*JWKS_URL/,
    );
  });
});
