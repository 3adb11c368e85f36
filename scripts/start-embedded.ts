import { resolve, join } from 'node:path';
import { demoAccounts } from '@parley/auth/src/seed';
import { lockDataDir, openEmbedded, type DatabaseSource } from '@parley/db';
import { startDemoSite } from '@parley/demo-site';
import { buildWidget } from '@parley/widget';
import { port } from '@parley/platform';
import { z } from 'zod';
import { startStack } from './stack';

/**
 * `pnpm start`: the whole of Parley on one machine with nothing installed. Without DATABASE_URL the
 * data lives in an embedded PostgreSQL (PGlite) under PARLEY_DATA_DIR, so it survives restarts.
 */
const env = z
  .object({
    PORT: port(8080),
    AUTH_PORT: port(4001),
    COMMENTS_PORT: port(4002),
    DEMO_PORT: port(8081),
    HOST: z.string().default('127.0.0.1'),
    PARLEY_DATA_DIR: z.string().default('./.parley-data'),
    DATABASE_URL: z.string().optional(),
    LOG_LEVEL: z.string().default('info'),
    PUBLIC_URL: z.string().optional(),
  })
  .parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));

async function main(): Promise<void> {
  const dataDir = resolve(env.PARLEY_DATA_DIR);
  // Always from the current sources (esbuild takes well under a second), so the gateway never serves a stale widget.
  const widgetDir = resolve(__dirname, '../packages/widget/dist');
  const widget = await buildWidget({ outdir: widgetDir });
  if (widget.overBudget.length > 0) console.warn(`widget over its size budget: ${widget.overBudget.join(', ')}`);
  let closeDatabase = async () => {};
  let database: DatabaseSource;
  if (env.DATABASE_URL) {
    database = { kind: 'postgres', url: env.DATABASE_URL };
  } else {
    const unlock = lockDataDir(dataDir);
    const pglite = await openEmbedded({ dataDir: join(dataDir, 'pg') }).catch((error: unknown) => {
      unlock();
      throw new Error(
        `Could not open the embedded database in ${join(dataDir, 'pg')} (${(error as Error).message}). ` +
          'If Parley was killed while writing, or the folder was changed while it ran, the database may be damaged: ' +
          'move the folder away (or set PARLEY_DATA_DIR to another one) to start afresh.',
      );
    });
    database = { kind: 'pglite', pglite };
    closeDatabase = async () => {
      await pglite.close();
      unlock();
    };
  }

  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const origins = [
    `http://localhost:${env.DEMO_PORT}`,
    `http://127.0.0.1:${env.DEMO_PORT}`,
    `http://localhost:${env.PORT}`,
    `http://127.0.0.1:${env.PORT}`,
  ];
  const stack = await startStack({
    database,
    dataDir,
    ports: { gateway: env.PORT, auth: env.AUTH_PORT, comments: env.COMMENTS_PORT },
    host: env.HOST,
    env: { ...process.env, WIDGET_DIR: widgetDir },
    migrate: true,
    seed: { origins },
    logLevel: env.LOG_LEVEL,
  });

  // The publisher demo on its own origin, embedding the widget cross-origin as a real site would.
  const demo = await startDemoSite({ port: env.DEMO_PORT, host: env.HOST, parleyUrl: publicUrl, demoUrl: `http://localhost:${env.DEMO_PORT}` });

  const where = env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : `embedded PostgreSQL in ${join(dataDir, 'pg')}`;
  console.log(
    [
      '',
      `Parley is running (${where}).`,
      `  Demo news site:               http://localhost:${env.DEMO_PORT}/   (open an article, log in, comment)`,
      `  Gateway (API, live, widget):  ${publicUrl}   (widget ${(widget.widgetGzipBytes / 1024).toFixed(1)} KB gzip, loader ${(widget.loaderGzipBytes / 1024).toFixed(1)} KB)`,
      `  Demo site id:                 demo   (allowed origins: ${origins.join(', ')})`,
      `  Try:  curl ${publicUrl}/api/sites/demo/articles/welcome/comments`,
      `  Logins (password "${demoAccounts[0]?.password}"):`,
      ...demoAccounts.map((account) => `    ${account.role.padEnd(10)} ${account.email}`),
      '  Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Parley…`);
    await demo.close();
    await stack.stop();
    // Closing PGlite flushes it to disk; skipping it could lose the last writes.
    await closeDatabase();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    const port = (error as { port?: number }).port;
    console.error(`Port ${port} is already in use. Is Parley already running? Choose other ports with PORT, AUTH_PORT and COMMENTS_PORT.`);
  } else {
    const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
    console.error(error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : error);
  }
  process.exit(1);
});
