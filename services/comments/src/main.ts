import { connect, migrateToLatest, type DatabaseSource } from '@parley/db';
import { createLogger, listen, listenMetrics, runMain, stopOnSignals } from '@parley/platform';
import { createTokenVerifier } from '@parley/tokens';
import { createCommentsApp } from './app';
import { loadCommentsConfig } from './config';
import { migrations, schema } from './database';

/**
 * The standalone comments process, for deployments with a PostgreSQL server. (`pnpm start` at the
 * repository root runs every service in one process on the embedded database instead.)
 */
async function main(): Promise<void> {
  const config = loadCommentsConfig();
  const logger = createLogger({ service: 'comments', level: config.logLevel });
  if (!config.databaseUrl) {
    throw new Error(
      'comments: DATABASE_URL is not set. The standalone service needs a PostgreSQL server ' +
        '(e.g. postgres://user:pass@host:5432/parley); for a single-machine setup without one, run `pnpm start` at the repository root.',
    );
  }
  const database: DatabaseSource = { kind: 'postgres', url: config.databaseUrl };

  if (config.migrateOnStart) {
    const db = connect<unknown>({ ...database, maxConnections: 1 });
    try {
      const applied = await migrateToLatest(db, schema, migrations);
      if (applied.length > 0) logger.info({ applied }, 'migrations applied');
    } finally {
      await db.destroy();
    }
  }

  const tokenVerifier = createTokenVerifier({ jwksUrl: config.jwksUrl, issuer: config.issuer, audience: config.audience });
  const comments = createCommentsApp({ config, database, logger, tokenVerifier });
  const server = await listen(comments.app, config.port, config.host, config.http);
  await comments.attach(server.server);
  const metrics = await listenMetrics([comments.metrics], config.metrics.port, config.metrics.host);
  logger.info({ port: server.port, host: config.host, metrics: `${config.metrics.host}:${metrics.port}` }, 'comments listening');

  stopOnSignals(logger, async () => {
    // Live sockets first: an HTTP server with open WebSockets would never finish closing.
    await comments.stop();
    await server.close();
    await metrics.close();
  });
}

runMain(main);
