import { connect, migrateToLatest } from '@parley/db';
import { createLogger, listen, listenMetrics, runMain, stopOnSignals } from '@parley/platform';
import { createAuthApp } from './app';
import { loadAuthConfig } from './config';
import { migrations, schema } from './database';
import { loadOrCreateSigningKey } from './signing-key';

/**
 * The auth service as its own process, against a PostgreSQL server (production, docker-compose).
 * The embedded one-machine mode is `pnpm start` at the repository root, which runs every service.
 */
async function main(): Promise<void> {
  const config = loadAuthConfig();
  const logger = createLogger({ service: 'auth', level: config.logLevel });
  if (!config.databaseUrl) {
    throw new Error(
      'auth: DATABASE_URL is not set. Point it at PostgreSQL (postgres://user:pass@host:5432/db), ' +
        'or run the embedded all-in-one mode with `pnpm start` at the repository root.',
    );
  }
  const database = { kind: 'postgres' as const, url: config.databaseUrl };

  if (config.migrateOnStart) {
    const migrator = connect<unknown>({ ...database, maxConnections: 1 });
    try {
      const applied = await migrateToLatest(migrator, schema, migrations);
      logger.info({ applied }, 'migrations applied');
    } finally {
      await migrator.destroy();
    }
  }

  const signingKeyPem = await loadOrCreateSigningKey({
    pem: config.signingKey.pem,
    file: config.signingKey.file,
    dataDir: config.dataDir,
    allowGenerate: !config.production,
  });

  const auth = createAuthApp({ config, database, logger, signingKeyPem });
  const server = await listen(auth.app, config.port, config.host, config.http);
  const metrics = await listenMetrics([auth.metrics], config.metrics.port, config.metrics.host);
  logger.info({ port: server.port, host: config.host, metrics: `${config.metrics.host}:${metrics.port}` }, 'auth listening');

  stopOnSignals(logger, async () => {
    await server.close();
    await auth.stop();
    await metrics.close();
  });
}

runMain(main);
