import { loadAuthConfig } from './config';

describe('loadAuthConfig', () => {
  it('has working defaults for every variable', () => {
    expect(loadAuthConfig({})).toEqual({
      port: 4001,
      host: '127.0.0.1',
      logLevel: 'info',
      production: false,
      controlToken: undefined,
      publicOrigins: [],
      trustProxy: 1,
      metrics: { port: 9401, host: '127.0.0.1' },
      http: { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000 },
      databaseUrl: undefined,
      migrateOnStart: true,
      dataDir: './.parley-data',
      issuer: 'parley-auth',
      audience: 'parley',
      accessTokenTtlSeconds: 900,
      refreshTokenTtlDays: 30,
      signingKey: { pem: undefined, file: undefined },
      rateLimits: {
        loginPerAddressAccount: { points: 10, durationSeconds: 900 },
        loginPerAccount: { points: 50, durationSeconds: 900 },
        loginPerIp: { points: 100, durationSeconds: 900 },
        registerPerIp: { points: 20, durationSeconds: 3600 },
        ssoPerIp: { points: 60, durationSeconds: 60 },
        oidcPerIp: { points: 60, durationSeconds: 60 },
        refreshPerIp: { points: 300, durationSeconds: 60 },
        secondFactorPerAccount: { points: 5, durationSeconds: 900 },
        mailLinksPerIp: { points: 20, durationSeconds: 3600 },
        mailLinksPerEmail: { points: 5, durationSeconds: 3600 },
      },
      commentsInternalUrl: 'http://127.0.0.1:4002',
      redisUrl: undefined,
      mail: { smtpUrl: undefined, from: 'Parley <no-reply@localhost>', pollMs: 5000, maxAttempts: 60, linkBaseUrl: 'http://localhost:8080' },
    });
  });

  it('reads overrides and understands trust proxy forms', () => {
    const config = loadAuthConfig({ AUTH_PORT: '0', TRUST_PROXY: '2', MIGRATE_ON_START: 'false', NODE_ENV: 'production', HOST: '' });
    expect(config).toMatchObject({ port: 0, trustProxy: 2, migrateOnStart: false, production: true, host: '127.0.0.1' });
    expect(loadAuthConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
  });

  it('lists every bad variable in one error', () => {
    expect(() => loadAuthConfig({ AUTH_PORT: 'eighty', ACCESS_TOKEN_TTL_SECONDS: '-1', DATABASE_URL: 'mysql://x' })).toThrow(
      /AUTH_PORT[\s\S]*ACCESS_TOKEN_TTL_SECONDS|ACCESS_TOKEN_TTL_SECONDS[\s\S]*AUTH_PORT/,
    );
    expect(() => loadAuthConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a postgres/);
  });

  it('returns a frozen object', () => {
    expect(Object.isFrozen(loadAuthConfig({}).rateLimits.loginPerIp)).toBe(true);
  });
});
