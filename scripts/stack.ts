import { commentsClaimSender, commentsSiteDirectory, createAuthApp, loadAuthConfig, loadOrCreateSigningKey, seedDemoAccounts } from '@parley/auth';
import * as authDatabase from '@parley/auth';
import { createCommentsApp, loadCommentsConfig, seedDemoSite } from '@parley/comments';
import * as commentsDatabase from '@parley/comments';
import { connect, migrateToLatest, type DatabaseSource } from '@parley/db';
import { createGatewayApp, loadGatewayConfig } from '@parley/gateway';
import { createLogger, listen, listenMetrics, silentLogger, type Logger } from '@parley/platform';
import type { MailCatcher } from '@parley/mail';
import { createTokenVerifier } from '@parley/tokens';

/**
 * Runs auth, comments and the gateway in one process over one database: the embedded default of
 * `pnpm start`, and the whole-stack fixture of the e2e tests. Production runs each service's own
 * main.ts instead; this only composes the same createApp functions.
 */
export interface StackOptions {
  database: DatabaseSource;
  dataDir: string;
  /**
   * Ports to listen on; 0 picks a free one (tests). `metrics` is the process's one metrics listener
   * (all three services' registries at /metrics, on METRICS_HOST, 127.0.0.1 by default); without
   * it, METRICS_PORT from `env`, else a free port (Stack.urls.metrics says which).
   */
  ports: { gateway: number; auth: number; comments: number; metrics?: number };
  /** Interface the gateway listens on; auth and comments always stay on 127.0.0.1. */
  host?: string;
  /** Extra environment for the services' config (rate limits, TTLs…). */
  env?: Record<string, string | undefined>;
  migrate?: boolean;
  /** Seeds the demo site (with these browser origins) and the demo accounts. */
  seed?: { origins: string[] };
  logLevel?: string;
  /** Where log lines go (standard output by default). */
  logDestination?: { write(line: string): void };
  /** A fixed signing key; otherwise one is loaded from or created in `dataDir`. */
  signingKeyPem?: string;
  /**
   * Where mail goes when SMTP_URL is not set: a catcher whose messages the gateway shows at
   * /dev/mail (`pnpm start`, and tests that read mail). Without one (and without SMTP_URL) mail
   * waits in the outbox.
   */
  mailCatcher?: MailCatcher;
  /** The gateway as browsers see it, for mailed links when PUBLIC_URL is not set (else the gateway's own address). */
  publicUrl?: string;
}

export interface Stack {
  urls: { gateway: string; auth: string; comments: string; metrics: string };
  /** The mail catcher the stack was given, when it is the one mail goes to (no SMTP_URL). */
  mail?: MailCatcher;
  stop(): Promise<void>;
}

export const serviceSchemas = [authDatabase, commentsDatabase];

export async function migrateAll(database: DatabaseSource): Promise<void> {
  const db = connect<unknown>(database);
  try {
    for (const { schema, migrations } of serviceSchemas) await migrateToLatest(db, schema, migrations);
  } finally {
    await db.destroy();
  }
}

export async function seedAll(database: DatabaseSource, origins: string[]): Promise<void> {
  await seedDemoAccounts(database);
  await seedDemoSite(database, { origins });
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const env = { ...options.env };
  const logger = (service: string): Logger =>
    options.logLevel === 'silent'
      ? silentLogger()
      : createLogger({ service, level: options.logLevel ?? 'info', ...(options.logDestination ? { destination: options.logDestination } : {}) });
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn();
  };

  try {
    if (options.migrate) await migrateAll(options.database);
    if (options.seed) await seedAll(options.database, options.seed.origins);

    const authConfig = loadAuthConfig({ ...env, AUTH_PORT: String(options.ports.auth), PARLEY_DATA_DIR: options.dataDir });
    const signingKeyPem =
      options.signingKeyPem ??
      (await loadOrCreateSigningKey({
        pem: authConfig.signingKey.pem,
        file: authConfig.signingKey.file,
        dataDir: options.dataDir,
        // Production is never the demo: it brings its own key (and refuses the dev one).
        allowGenerate: !authConfig.production,
      }));
    // Auth asks comments about sites (SSO keys); comments' port is known only once it listens, below.
    let commentsInternalUrl = authConfig.commentsInternalUrl;
    const sites = commentsSiteDirectory(() => commentsInternalUrl);
    // Mailed links point at the gateway (PUBLIC_URL when set); its port is known only once it listens, below.
    let gatewayUrl = 'http://127.0.0.1';
    const auth = createAuthApp({
      config: authConfig,
      database: options.database,
      logger: logger('auth'),
      signingKeyPem,
      sites,
      sendClaim: commentsClaimSender(() => commentsInternalUrl),
      ...(options.mailCatcher && !authConfig.mail.smtpUrl ? { mailTransport: options.mailCatcher } : {}),
      ...(env.PUBLIC_URL ? {} : { mailLinkBaseUrl: () => options.publicUrl ?? gatewayUrl }),
    });
    stops.push(auth.stop);
    const authServer = await listen(auth.app, options.ports.auth, '127.0.0.1', authConfig.http);
    stops.push(authServer.close);
    const authUrl = `http://127.0.0.1:${authServer.port}`;

    const commentsConfig = loadCommentsConfig({
      ...env,
      COMMENTS_PORT: String(options.ports.comments),
      JWKS_URL: `${authUrl}/auth/.well-known/jwks.json`,
    });
    const comments = createCommentsApp({
      config: commentsConfig,
      database: options.database,
      logger: logger('comments'),
      tokenVerifier: createTokenVerifier({
        jwksUrl: commentsConfig.jwksUrl,
        issuer: commentsConfig.issuer,
        audience: commentsConfig.audience,
      }),
    });
    const commentsServer = await listen(comments.app, options.ports.comments, '127.0.0.1', commentsConfig.http);
    stops.push(commentsServer.close);
    // Stopped before its server closes: live sockets must go before the server can finish closing.
    stops.push(comments.stop);
    await comments.attach(commentsServer.server);
    const commentsUrl = `http://127.0.0.1:${commentsServer.port}`;
    commentsInternalUrl = commentsUrl;

    const gatewayConfig = loadGatewayConfig({ ...env, PORT: String(options.ports.gateway), AUTH_URL: authUrl, COMMENTS_URL: commentsUrl });
    const devMail = options.mailCatcher && !authConfig.mail.smtpUrl ? options.mailCatcher : undefined;
    const gateway = createGatewayApp({ config: gatewayConfig, logger: logger('gateway'), ...(devMail ? { devMail } : {}) });
    await gateway.ready();
    const host = options.host ?? '127.0.0.1';
    const gatewayServer = await listen(gateway.app, options.ports.gateway, host, gatewayConfig.http);
    gateway.attach(gatewayServer.server);
    gatewayUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${gatewayServer.port}`;
    stops.push(gatewayServer.close);
    stops.push(gateway.stop);

    // One process, so one metrics listener for the three services (each series labelled with its
    // service). Its own interface (METRICS_HOST, 127.0.0.1 by default), not the gateway's HOST.
    // Without METRICS_PORT a free port, so stacks in parallel tests never collide.
    const metricsPort = options.ports.metrics ?? (env.METRICS_PORT ? gatewayConfig.metrics.port : 0);
    const metricsHost = gatewayConfig.metrics.host;
    const metrics = await listenMetrics([gateway.metrics, auth.metrics, comments.metrics], metricsPort, metricsHost);
    stops.push(metrics.close);

    return {
      urls: {
        gateway: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${gatewayServer.port}`,
        auth: authUrl,
        comments: commentsUrl,
        metrics: `http://${metricsHost === '0.0.0.0' ? '127.0.0.1' : metricsHost}:${metrics.port}`,
      },
      ...(devMail ? { mail: devMail } : {}),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
