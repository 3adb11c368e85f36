import { resolve } from 'node:path';
import { demoAccounts, demoTotpSecret, seedDemoSsoKey } from '@parley/auth';
import type { DatabaseSource } from '@parley/db';
import { startDemoSite } from '@parley/demo-site';
import { buildWidget } from '@parley/widget';
import { mailCatcher } from '@parley/mail';
import { port } from '@parley/platform';
import { z } from 'zod';
import { newControlToken, writeControlFile } from './cli/control';
import { embeddedDatabaseDir, openDataFolder } from './cli/data-folder';
import { startStack } from './stack';

/**
 * `pnpm start`: the whole of Parley on one machine with nothing installed. Without DATABASE_URL the
 * data lives in an embedded PostgreSQL (PGlite) under PARLEY_DATA_DIR, so it survives restarts.
 *
 * It runs as `node --import tsx`, one process, not under the `tsx` command: that one relays Ctrl+C
 * to a child and SIGKILLs it when the child has not answered within 60 ms (a busy machine), which
 * would skip the shutdown below and with it PGlite's flush to disk.
 */
const help = `Usage: pnpm start [--help]

Runs all of Parley on this machine: gateway, auth and comments in one
process, plus a demo news site. Nothing needs configuring; these
environment variables change what it does (defaults after =):

  PORT=8080              gateway: API, live stream, widget, /moderate, /docs
  DEMO_PORT=8081         the demo news site
  AUTH_PORT=4001         auth service, internal (127.0.0.1 only)
  COMMENTS_PORT=4002     comments service, internal (127.0.0.1 only)
  HOST=127.0.0.1         interface of the gateway and demo site (0.0.0.0: all)
  PUBLIC_URL             the gateway as browsers see it (http://localhost:PORT)
  PARLEY_DATA_DIR=./.parley-data
                         embedded database, generated development signing key
  DATABASE_URL           postgres://user:pass@host:5432/db: PostgreSQL instead
  REDIS_URL              redis://host:6379: live events shared between nodes
  SMTP_URL               smtp://user:pass@host:587: send mail (else caught
                         and shown at /dev/mail); MAIL_FROM the sender
  AUTH_SIGNING_KEY_FILE  token signing key (else generated in PARLEY_DATA_DIR)
  NODE_ENV               production: no demo data and no generated signing key
                         (AUTH_SIGNING_KEY_FILE needed; pnpm keygen makes one)
  PARLEY_DEMO            true: the demo site and logins on DATABASE_URL too
  LOG_LEVEL=info         fatal, error, warn, info, debug, trace or silent;
                         debug adds every request, probes and static files too
  LOG_FORMAT             pretty or json (default: pretty on a terminal)

Every other setting (rate limits, token lifetimes, ...) is in .env.example
and docs/operations.md. When it does not start: pnpm parley doctor.
`;

if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
  process.stdout.write(help);
  process.exit(0);
}

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
    // Read by the logger itself; checked here so a typo stops the start with a clear message.
    LOG_FORMAT: z.enum(['json', 'pretty']).optional(),
    PUBLIC_URL: z.string().optional(),
    SMTP_URL: z.string().optional(),
    NODE_ENV: z.string().optional(),
    /** Seeds the demo site and logins on a DATABASE_URL too (never in production). */
    PARLEY_DEMO: z.enum(['true', 'false']).optional(),
  })
  .parse(Object.fromEntries(Object.entries(process.env).filter(([, v]) => v !== '')));

const production = env.NODE_ENV === 'production';
/**
 * The demo (site "demo" and the parley-demo logins) is for trying Parley out: on the embedded
 * database, or on a DATABASE_URL when asked for. Production never seeds it and starts without
 * accounts; the first admin comes from `pnpm parley admin create`.
 */
const demo = !production && (env.PARLEY_DEMO ? env.PARLEY_DEMO === 'true' : !env.DATABASE_URL);

async function main(): Promise<void> {
  if (production && env.PARLEY_DEMO === 'true') throw new Error('PARLEY_DEMO=true is refused with NODE_ENV=production: production is never the demo.');
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
    const folder = await openDataFolder(dataDir);
    database = { kind: 'pglite', pglite: folder.pglite };
    closeDatabase = folder.close;
  }

  const publicUrl = env.PUBLIC_URL ?? `http://localhost:${env.PORT}`;
  const origins = [
    `http://localhost:${env.DEMO_PORT}`,
    `http://127.0.0.1:${env.DEMO_PORT}`,
    `http://localhost:${env.PORT}`,
    `http://127.0.0.1:${env.PORT}`,
  ];
  // The local command line reaches this Parley through it while the embedded database is open here.
  const controlToken = env.DATABASE_URL ? undefined : newControlToken();
  // Without an SMTP server, mail is caught here and shown at /dev/mail rather than lost or stuck.
  const catcher = env.SMTP_URL ? undefined : mailCatcher();
  const stack = await startStack({
    ...(catcher ? { mailCatcher: catcher } : {}),
    publicUrl,
    database,
    dataDir,
    ports: { gateway: env.PORT, auth: env.AUTH_PORT, comments: env.COMMENTS_PORT },
    host: env.HOST,
    env: { ...process.env, WIDGET_DIR: widgetDir, ...(controlToken ? { PARLEY_CONTROL_TOKEN: controlToken } : {}) },
    migrate: true,
    ...(demo ? { seed: { origins } } : {}),
    logLevel: env.LOG_LEVEL,
  });
  const removeControlFile = controlToken
    ? await writeControlFile(dataDir, { pid: process.pid, token: controlToken, authUrl: stack.urls.auth, commentsUrl: stack.urls.comments })
    : async () => {};

  // The publisher demo on its own origin, embedding the widget cross-origin as a real site would.
  // The Courier's own accounts sign their readers in to Parley on the river-festival article.
  const signOn = demo ? await seedDemoSsoKey(database) : undefined;
  const demoSite = !demo ? undefined : await startDemoSite({ port: env.DEMO_PORT, host: env.HOST, parleyUrl: publicUrl, demoUrl: `http://localhost:${env.DEMO_PORT}`, ...(signOn ? { signOn } : {}) });

  const where = env.DATABASE_URL ? 'PostgreSQL at DATABASE_URL' : `embedded PostgreSQL in ${embeddedDatabaseDir(dataDir)}`;
  const widgetSize = `${(widget.widgetGzipBytes / 1024).toFixed(1)} KB gzip`;
  // Everything a newcomer needs, in lines that fit 80 columns. Nothing routine is logged at info
  // afterwards (probes are at debug), so this stays on screen.
  console.log(
    [
      '',
      'Parley is running.',
      '',
      ...(demoSite
        ? [
            `  Demo news site      http://localhost:${env.DEMO_PORT}/   open an article, log in, comment`,
            `  Publisher sign-on   the river festival article: sign in with a Courier account`,
          ]
        : []),
      `  Moderator console   ${publicUrl}/moderate   log in as moderator`,
      // No SMTP_URL: mail is caught, not sent; said on this line so the banner keeps its height.
      `  API docs            ${publicUrl}/docs${stack.mail ? '   caught mail: /dev/mail' : ''}`,
      `  API and widget      ${publicUrl}   ${demo ? 'site "demo", ' : ''}widget ${widgetSize}`,
      ...(demo ? [`  Try  curl ${publicUrl}/api/sites/demo/articles/welcome/comments`] : []),
      `  Data                ${where}`,
      '',
      ...(demo
        ? [
            `  Demo logins (demo data only), password "${demoAccounts[0]?.password}":`,
            ...demoAccounts.map((account) => `    ${account.role.padEnd(10)} ${account.email}`),
            // Staff sign in with a code too: the demo staff's authenticator secret (README, "How staff sign in").
            `    ${'staff code'.padEnd(10)} authenticator secret ${demoTotpSecret}`,
          ]
        : ['  No demo data here. The first admin: pnpm parley admin create --email you@…']),
      '',
      '  Stop with Ctrl+C.  Options: pnpm start --help.  Trouble: pnpm parley doctor.',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping Parley…`);
    await demoSite?.close();
    await stack.stop();
    await removeControlFile();
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
    const variable = { [env.PORT]: 'PORT', [env.DEMO_PORT]: 'DEMO_PORT', [env.AUTH_PORT]: 'AUTH_PORT', [env.COMMENTS_PORT]: 'COMMENTS_PORT' }[port ?? -1];
    console.error(
      `Port ${port} is already in use. Is Parley already running? ` +
        `Choose another port${variable ? ` with ${variable}` : ''}, or see what holds it with: pnpm parley doctor`,
    );
  } else {
    const verbose = ['debug', 'trace'].includes(process.env.LOG_LEVEL ?? '');
    console.error(error instanceof Error ? (verbose ? (error.stack ?? error.message) : error.message) : error);
  }
  process.exit(1);
});
