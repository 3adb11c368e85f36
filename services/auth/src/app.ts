import express from 'express';
import type { Kysely } from 'kysely';
import { connect, ping, poolStats, type DatabaseSource } from '@parley/db';
import { serviceOpenApiRoutes } from '@parley/openapi';
import {
  accessLog,
  createMetrics,
  errorHandler,
  healthRoutes,
  jsonBody,
  mountRoutes,
  RateLimiter,
  requestContext,
  sharedRedis,
  routeNotFound,
  type Logger,
  type Registry,
} from '@parley/platform';
import { bearerAuthenticator, createTokenVerifier, withRevocations } from '@parley/tokens';
import { internalAdminRoutes } from './accounts/admins';
import { accountSettings } from './accounts/account-settings';
import { createAccountsService } from './accounts/accounts.service';
import { createPasswordHasher } from './accounts/passwords';
import { emailLinksService } from './email-links/email-links.service';
import { internalNotificationRoutes } from './notifications/notifications.internal';
import { notificationsService } from './notifications/notifications.service';
import { unsubscribeTokens } from './notifications/unsubscribe-tokens';
import { internalConfirmedAccountsRoutes } from './imported-authors/confirmed-accounts.internal';
import { commentsClaimSender, startImportedAuthorClaims, type ImportedAuthorClaims, type SendClaim } from './imported-authors/imported-author-claims';
import { createMailer, type Mailer } from './mail/mailer';
import { pickLocale, type MailTransport } from '@parley/mail';
import type { AuthConfig } from './config';
import { schema } from './database';
import type { AuthDatabase } from './database/tables';
import { createAccessTokenIssuer } from './sessions/access-tokens';
import { internalRevocationRoutes } from './sessions/revocations.routes';
import { sessionScopeOf } from './sessions/session-scope';
import { isFamilyRevoked } from './sessions/sessions.repository';
import { createSessionsService } from './sessions/sessions.service';
import { routes } from './routes';
import { secondFactorService } from './second-factor/second-factor.service';
import type { AuthServices } from './services';
import { parseSigningKey } from './signing-key';
import { providerDirectory } from './oidc/discovery';
import { commandLineRedirectUri, oidcControlRoutes } from './oidc/oidc-control';
import { oidcProvidersService } from './oidc/oidc-providers.service';
import { oidcService } from './oidc/oidc.service';
import { publisherKeySets } from './sso/publisher-keys';
import { commentsSiteDirectory, type SiteDirectory } from './sso/site-directory';
import { ssoKeysControlRoutes } from './sso/sso-keys-control';
import { ssoKeysService } from './sso/sso-keys.service';
import { ssoService } from './sso/sso.service';
import { internalUsersRoutes } from './users/users.internal';
import { usersService } from './users/users.service';

export interface AuthDeps {
  config: AuthConfig;
  database: DatabaseSource;
  logger: Logger;
  /** P-256 private key in PEM (see loadOrCreateSigningKey). */
  signingKeyPem: string;
  /** Injected so tests can move time (token expiry, refresh-token lifetime). */
  clock?: () => Date;
  /** Sites (the comments service owns them): by default asked of comments at config.commentsInternalUrl. */
  sites?: SiteDirectory;
  /** Where mail goes when SMTP_URL is not set: the embedded stack's catcher (/dev/mail). Without either, mail waits in the outbox. */
  mailTransport?: MailTransport;
  /** Where mailed links point when PUBLIC_URL is not set (the embedded stack: its gateway). */
  mailLinkBaseUrl?: () => string;
  /** Hands a confirmed address's imported authors to the account: by default comments' claim route at config.commentsInternalUrl. */
  sendClaim?: SendClaim;
}

export interface AuthApp {
  app: express.Express;
  /** This service's Prometheus registry; main.ts serves it on the metrics listener, never on `app`. */
  metrics: Registry;
  /** The outbox's sender: `flush()` sends what is due now (tests). */
  mailer: Mailer;
  /** Claims of imported authors on their way to comments: `flush()` sends what is due now (tests). */
  claims: ImportedAuthorClaims;
  /** Closes the database handle this app opened (not the PGlite instance, which the caller owns). */
  stop(): Promise<void>;
}

/** Composition root: builds the auth service from explicit dependencies, with no module state. */
export function createAuthApp(deps: AuthDeps): AuthApp {
  const { config, logger } = deps;
  const clock = deps.clock ?? (() => new Date());
  const key = parseSigningKey(deps.signingKeyPem);

  const connection = connect<AuthDatabase>(deps.database);
  const db = connection.withSchema(schema);

  const accessTokens = createAccessTokenIssuer({
    key,
    issuer: config.issuer,
    audience: config.audience,
    ttlSeconds: config.accessTokenTtlSeconds,
    clock,
  });
  // Auth holds the sessions itself, so it asks its own table whether a token's session has ended.
  const verifier = withRevocations(
    createTokenVerifier({ issuer: config.issuer, audience: config.audience, keys: [accessTokens.jwk], now: () => clock().getTime() }),
    { isRevoked: (sessionId) => isFamilyRevoked(db, sessionId) },
  );
  const limits = config.rateLimits;
  // With REDIS_URL every auth node counts the same keys in Redis (one budget for the deployment);
  // while Redis is away each node counts in memory instead, never refusing everyone.
  const redis = sharedRedis(config.redisUrl, logger);
  const store = { redis: redis.client };
  const tooManyLogins = 'Too many login attempts; wait a while and try again.';

  const mailer = createMailer({ db, config: config.mail, ...(deps.mailTransport ? { transport: deps.mailTransport } : {}), ...(deps.mailLinkBaseUrl ? { linkBaseUrl: deps.mailLinkBaseUrl } : {}), clock, logger });
  const passwords = createPasswordHasher();
  const claims = startImportedAuthorClaims({
    db,
    send: deps.sendClaim ?? commentsClaimSender(() => config.commentsInternalUrl),
    clock,
    logger,
    pollMs: config.mail.pollMs,
  });
  const emailLinks = emailLinksService({
    db,
    mailer,
    passwords,
    perEmail: new RateLimiter('auth-mail-links-email', limits.mailLinksPerEmail, 'Too many mails asked for this address; wait a while and try again.', store),
    claims,
    clock,
  });
  const notifications = notificationsService({ db, mailer, tokens: unsubscribeTokens(deps.signingKeyPem) });
  const sessions = createSessionsService({ db, accessTokens, refreshTokenTtlDays: config.refreshTokenTtlDays, clock });
  const secondFactor = secondFactorService({
    db,
    sessions,
    wrongCodes: new RateLimiter('auth-second-factor-account', limits.secondFactorPerAccount, 'Too many wrong codes for this account; wait a while and try again.', store),
    issuer: 'Parley',
    clock,
  });
  const accounts = createAccountsService({
    db,
    passwords,
    sessions,
    verification: emailLinks,
    mailer,
    secondFactor,
    loginPerAddressAccount: new RateLimiter('auth-login-address-account', limits.loginPerAddressAccount, tooManyLogins, store),
    loginPerAccountFromNewAddresses: new RateLimiter(
      'auth-login-account-new-addresses',
      limits.loginPerAccount,
      'Too many login attempts on this account from new places; wait a while, or log in from where you usually do.',
      store,
    ),
    clock,
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  const metrics = createMetrics('auth');
  metrics.gauge('db_pool_connections', 'Database connections open', () => poolStats(connection)?.total);
  metrics.gauge('db_pool_idle', 'Database connections idle', () => poolStats(connection)?.idle);
  metrics.gauge('db_pool_waiting', 'Queries waiting for a database connection', () => poolStats(connection)?.waiting);
  app.use(requestContext(logger));
  app.use(accessLog({ behindGateway: true }));
  app.use(metrics.httpMetrics);
  if (config.redisUrl) metrics.gauge('redis_up', 'Whether this node reaches the shared Redis (1) or not (0)', () => (redis.up() ? 1 : 0));
  app.use(
    healthRoutes(
      'auth',
      { database: () => ping(connection as unknown as Kysely<unknown>) },
      // Reported, never a reason to be unready: without Redis the limits count per node.
      config.redisUrl
        ? {
            redis: async () => {
              if (!redis.up()) throw new Error('the rate-limit connection is down');
            },
          }
        : {},
    ),
  );
  app.use(jsonBody());

  const firstPartyOrigins = new Set(config.publicOrigins);
  const users = usersService({ db, clock });
  const sites = deps.sites ?? commentsSiteDirectory(() => config.commentsInternalUrl);
  const providers = providerDirectory({ clock });
  const services: AuthServices = {
    accounts,
    accountSettings: accountSettings({
      db,
      passwords,
      mailer,
      wrongPasswords: new RateLimiter('auth-password-change-account', limits.loginPerAddressAccount, 'Too many wrong passwords for this account; wait a while and try again.', store),
      clock,
    }),
    sessions,
    users,
    secondFactor,
    emailLinks,
    notifications,
    ssoKeys: ssoKeysService({ db, sites, clock }),
    sso: ssoService({ db, sessions, keySet: publisherKeySets(), clock }),
    oidcProviders: oidcProvidersService({ db, sites, clock }),
    oidc: oidcService({ db, sessions, sites, providers, clock }),
    publicOrigins: config.publicOrigins,
    keys: [accessTokens.jwk],
    requestOrigin: (req) => ({
      scope: sessionScopeOf(req, firstPartyOrigins),
      address: req.ip ?? req.socket.remoteAddress ?? 'unknown',
      locale: pickLocale(req.get('accept-language')),
    }),
  };
  // The reset form of a mailed link posts form-encoded (no script on that page).
  app.use('/auth/pages', express.urlencoded({ extended: false, limit: '4kb' }));
  const router = express.Router();
  mountRoutes(router, routes, {
    deps: services,
    authenticate: bearerAuthenticator(verifier),
    limiters: {
      register: new RateLimiter('auth-register-ip', limits.registerPerIp, 'Too many accounts registered from this address; try again later.', store),
      login: new RateLimiter('auth-login-ip', limits.loginPerIp, tooManyLogins, store),
      sso: new RateLimiter('auth-sso-ip', limits.ssoPerIp, 'Too many sign-ins from this address; try again in a minute.', store),
      refresh: new RateLimiter('auth-refresh-ip', limits.refreshPerIp, 'Too many session refreshes from this address; try again in a minute.', store),
      mailLinks: new RateLimiter('auth-mail-links-ip', limits.mailLinksPerIp, 'Too many mail links asked for or followed from this address; try again later.', store),
      oidc: new RateLimiter('auth-oidc-ip', limits.oidcPerIp, 'Too many logins from this address; try again in a minute.', store),
    },
  });
  app.use(router);
  app.use('/internal', serviceOpenApiRoutes('auth', routes));
  app.use('/internal', internalRevocationRoutes(sessions));
  app.use('/internal', internalUsersRoutes(users));
  app.use('/internal', internalNotificationRoutes(notifications));
  app.use('/internal', internalConfirmedAccountsRoutes(db));
  if (config.controlToken) {
    app.use('/internal', internalAdminRoutes(db, config.controlToken, clock));
    app.use('/internal', ssoKeysControlRoutes(services.ssoKeys, config.controlToken));
    app.use('/internal', oidcControlRoutes(services.oidcProviders, config.controlToken, commandLineRedirectUri(config.publicOrigins.join(','))));
  }

  app.use(routeNotFound);
  app.use(errorHandler());

  return {
    app,
    metrics: metrics.registry,
    mailer,
    claims,
    async stop() {
      await claims.stop();
      await mailer.stop();
      await redis.close();
      await connection.destroy();
    },
  };
}
