import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from './commands';
import {
  checkDatabase,
  checkDataFolder,
  checkNodeVersion,
  checkPort,
  checkRedis,
  checkSigningKey,
  type CheckResult,
  type CheckStatus,
} from './doctor-checks';
import { serviceSchemas } from '../stack';

const help = `Usage: pnpm parley doctor

Checks what usually stops Parley from starting, reading the environment
variables pnpm start and the services read, and says what to do about
each problem:

  Node.js       the version package.json asks for
  ports         PORT (8080), DEMO_PORT (8081), AUTH_PORT (4001) and
                COMMENTS_PORT (4002) are free, or which process holds them
  data folder   PARLEY_DATA_DIR (./.parley-data) is writable, not in use by
                a running Parley, and its embedded database opens
  database      DATABASE_URL, when set: reachable, login accepted, migrated
  Redis         REDIS_URL, when set: answers PING
  signing key   with NODE_ENV=production: AUTH_SIGNING_KEY(_FILE) is set,
                and is not the development key from the data folder

Exit code 0 when nothing failed, 1 otherwise.
`;

export const doctor: Command = {
  summary: 'check this machine and configuration for what usually stops Parley from starting',
  async run(args, output) {
    if (args.includes('--help') || args.includes('-h')) {
      output.out(help);
      return 0;
    }
    if (args.length > 0) {
      output.err(`parley doctor: unexpected ${args.join(' ')}; pnpm parley doctor --help says what it does.\n`);
      return 2;
    }
    const paint = painter(output.terminal);
    output.out('Parley doctor\n\n');
    let failures = 0;
    for await (const result of runChecks(process.env)) {
      if (result.status === 'fail') failures++;
      output.out(`  ${paint(result.status)} ${result.message}\n`);
    }
    output.out(failures === 0 ? '\nNothing in the way.\n' : `\n${failures} problem${failures > 1 ? 's' : ''}: fix ${failures > 1 ? 'them' : 'it'} and run pnpm parley doctor again.\n`);
    return failures === 0 ? 0 : 1;
  },
};

/** Every check, in the order a start would trip over them, with the environment's values as inputs. */
export async function* runChecks(environment: Record<string, string | undefined>): AsyncGenerator<CheckResult> {
  // Like the services' config: an empty variable counts as unset.
  const env = (name: string): string | undefined => environment[name] || undefined;
  const numberOr = (name: string, fallback: number) => (env(name) === undefined ? fallback : Number(env(name)));
  const host = env('HOST') ?? '127.0.0.1';

  const root = resolve(__dirname, '../..');
  const engines = (JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines;
  yield checkNodeVersion(process.versions.node, engines?.node);

  const ports = [
    { name: 'gateway', variable: 'PORT', port: numberOr('PORT', 8080), host },
    { name: 'demo site', variable: 'DEMO_PORT', port: numberOr('DEMO_PORT', 8081), host },
    { name: 'auth', variable: 'AUTH_PORT', port: numberOr('AUTH_PORT', 4001), host: '127.0.0.1' },
    { name: 'comments', variable: 'COMMENTS_PORT', port: numberOr('COMMENTS_PORT', 4002), host: '127.0.0.1' },
  ];
  for (const result of await Promise.all(
    ports.map((port) =>
      Number.isInteger(port.port) && port.port > 0 && port.port < 65536
        ? checkPort(port)
        : Promise.resolve<CheckResult>({ status: 'fail', message: `${port.variable}=${env(port.variable)} is not a port: set it to a number from 1 to 65535.` }),
    ),
  )) {
    yield result;
  }

  const dataDir = env('PARLEY_DATA_DIR') ?? './.parley-data';
  const databaseUrl = env('DATABASE_URL');
  yield await checkDataFolder({ given: dataDir, embedded: !databaseUrl });

  if (databaseUrl) {
    yield await checkDatabase(databaseUrl, serviceSchemas, { migrateOnStart: !['false', '0'].includes(env('MIGRATE_ON_START') ?? '') });
  } else {
    yield { status: 'skip', message: 'Database: embedded (set DATABASE_URL to use PostgreSQL)' };
  }

  const redisUrl = env('REDIS_URL');
  yield redisUrl ? await checkRedis(redisUrl) : { status: 'skip', message: 'Redis: not used (REDIS_URL is only needed for several comments nodes)' };

  yield await checkSigningKey({
    production: env('NODE_ENV') === 'production',
    pem: env('AUTH_SIGNING_KEY'),
    file: env('AUTH_SIGNING_KEY_FILE'),
    dataDir,
  });
}

function painter(terminal: boolean): (status: CheckStatus) => string {
  const marks: Record<CheckStatus, [string, number]> = { ok: ['✓', 32], warn: ['!', 33], fail: ['✗', 31], skip: ['·', 2] };
  const color = terminal && !process.env.NO_COLOR;
  return (status) => {
    const [mark, code] = marks[status];
    return color ? `\x1b[${code}m${mark}\x1b[0m` : mark;
  };
}
