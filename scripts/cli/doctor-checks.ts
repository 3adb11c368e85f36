import { constants } from 'node:fs';
import { access, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Migrator, type Migration } from 'kysely';
import { connect, ping } from '@parley/db';
import { loadOrCreateSigningKey, signingKeyFileName } from '@parley/auth/src/signing-key';
import { DataFolderError, embeddedDatabaseDir, lockDataFolder, openDataFolder } from './data-folder';
import { describeProcess, findPortHolder, probePort } from './ports';
import { pingRedis } from './redis-ping';

/**
 * What `pnpm parley doctor` checks, as functions of their inputs (no process.env here), so each can
 * be tried on a broken setup in a test. A failure's message is one sentence that says what to do.
 */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';
export interface CheckResult {
  status: CheckStatus;
  message: string;
}

const ok = (message: string): CheckResult => ({ status: 'ok', message });
const fail = (message: string): CheckResult => ({ status: 'fail', message });

/** `current` (process.versions.node) against package.json's engines.node, e.g. ">=20.19". */
export function checkNodeVersion(current: string, wanted: string | undefined): CheckResult {
  if (!wanted) return ok(`Node.js ${current}`);
  const satisfied = satisfies(current, wanted);
  if (satisfied === undefined) return { status: 'warn', message: `Node.js ${current}; could not read the wanted range "${wanted}" from package.json.` };
  return satisfied
    ? ok(`Node.js ${current} (package.json wants ${wanted})`)
    : fail(`Node.js ${current} is too old or too new for Parley, which wants ${wanted}: install a matching Node.js (for example with nvm or fnm) and run pnpm install again.`);
}

/** A small part of semver: `||` of space-separated comparators (>=, >, <=, <, =, or a bare version). */
function satisfies(version: string, range: string): boolean | undefined {
  const parse = (text: string) => {
    const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
    return match ? [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)] : undefined;
  };
  const compare = (a: number[], b: number[]) => a[0]! - b[0]! || a[1]! - b[1]! || a[2]! - b[2]!;
  const have = parse(version);
  if (!have) return undefined;
  let any = false;
  for (const alternative of range.split('||')) {
    let all = true;
    for (const comparator of alternative.trim().split(/\s+/).filter(Boolean)) {
      const match = /^(>=|<=|>|<|=)?(.+)$/.exec(comparator);
      const want = match && parse(match[2]!);
      if (!match || !want) return undefined;
      const order = compare(have, want);
      const operator = match[1] ?? '=';
      const holds = { '>=': order >= 0, '<=': order <= 0, '>': order > 0, '<': order < 0, '=': order === 0 }[operator];
      if (!holds) all = false;
    }
    if (all) any = true;
  }
  return any;
}

export interface PortToCheck {
  port: number;
  host: string;
  /** What listens there when Parley runs ("gateway"). */
  name: string;
  /** The variable that moves it ("PORT"). */
  variable: string;
}

export async function checkPort({ port, host, name, variable }: PortToCheck): Promise<CheckResult> {
  const state = await probePort(port, host);
  if (state.free) return ok(`Port ${port} (${name}) is free`);
  if (state.reason === 'no_permission') return fail(`Port ${port} (${name}) needs privileges this user lacks: set ${variable} to a port above 1023.`);
  if (state.reason === 'other') return fail(`Port ${port} (${name}) cannot be used on ${host} (${state.detail}): check HOST, or set ${variable} to another port.`);
  const holder = await findPortHolder(port);
  const who = holder ? `process ${holder.pid} (${holder.command})` : 'another process';
  return fail(`Port ${port} (${name}) is in use by ${who}: stop it, or set ${variable} to a free port.`);
}

export interface DataFolderToCheck {
  /** PARLEY_DATA_DIR as given, for messages. */
  given: string;
  /** True without DATABASE_URL: then the folder also holds the embedded database. */
  embedded: boolean;
}

/**
 * The data folder: can it be created or written, is its embedded database held by a running
 * process, and does that database open? Opening is done the launcher's way (openDataFolder), so
 * doctor sees the same damage the launcher would.
 */
export async function checkDataFolder({ given, embedded }: DataFolderToCheck): Promise<CheckResult> {
  const dir = resolve(given);
  const label = `The data folder ${given} (PARLEY_DATA_DIR)`;
  const unwritable = await whyNotWritable(dir);
  if (unwritable) return fail(`${label} ${unwritable}: fix its permissions, or set PARLEY_DATA_DIR to a folder this user can write.`);
  if (!embedded) return ok(`Data folder ${given} is writable (the database is at DATABASE_URL)`);

  const hasDatabase = await exists(join(embeddedDatabaseDir(dir), 'PG_VERSION'));
  try {
    if (hasDatabase) await (await openDataFolder(dir)).close();
    // A folder with no database yet: only the lock can be in the way (opening would create the database).
    else if (await exists(dir)) lockDataFolder(dir)();
  } catch (error) {
    if (!(error instanceof DataFolderError)) throw error;
    if (error.kind === 'in_use' && error.holder !== undefined) {
      const command = await describeProcess(error.holder);
      return fail(`${label} is in use by process ${error.holder}${command ? ` (${command})` : ''}: stop that Parley first, or set PARLEY_DATA_DIR to another folder.`);
    }
    return fail(error.message);
  }
  return ok(hasDatabase ? `Data folder ${given}: writable, not in use, the embedded database opens` : `Data folder ${given}: writable; the embedded database is created on first start`);
}

async function whyNotWritable(dir: string): Promise<string | undefined> {
  // The folder itself, or the nearest existing parent it would be created in.
  let at = dir;
  for (;;) {
    const found = await stat(at).then(
      (stats) => ({ stats }),
      (error: NodeJS.ErrnoException) => ({ code: error.code ?? error.message }),
    );
    if ('stats' in found) {
      if (!found.stats.isDirectory()) return at === dir ? 'is a file, not a folder' : `cannot be created, because ${at} is a file`;
      break;
    }
    // ENOTDIR: some parent is a file; walking up finds which.
    if (found.code !== 'ENOENT' && found.code !== 'ENOTDIR') return `cannot be used (${found.code} on ${at})`;
    if (dirname(at) === at) return 'cannot be created';
    at = dirname(at);
  }
  if (at !== dir) {
    const denied = await access(at, constants.W_OK).then(() => false, () => true);
    return denied ? `cannot be created in ${at}, which this user may not write` : undefined;
  }
  // Writing a file is the only sure test (root passes permission checks; read-only mounts don't show in the mode).
  const probe = join(dir, `.doctor-${process.pid}`);
  try {
    await writeFile(probe, '', { flag: 'wx' });
    await rm(probe, { force: true });
    return undefined;
  } catch (error) {
    return `is not writable (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`;
  }
}

const exists = (path: string) => stat(path).then(() => true, () => false);

export interface ServiceSchema {
  schema: string;
  migrations: Record<string, Migration>;
}

/** DATABASE_URL: does PostgreSQL answer, accept the login, and does every service schema have all its migrations? */
export async function checkDatabase(url: string, schemas: ServiceSchema[], { migrateOnStart = true } = {}): Promise<CheckResult> {
  let where: string;
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
  } catch {
    return fail('DATABASE_URL is not a URL: write it as postgres://user:password@host:5432/database.');
  }
  const db = connect<unknown>({ kind: 'postgres', url, maxConnections: 1 });
  try {
    await ping(db);
    const pending: string[] = [];
    for (const { schema, migrations } of schemas) {
      const known = await new Migrator({ db, provider: { getMigrations: async () => migrations }, migrationTableSchema: schema }).getMigrations();
      const missing = known.filter((migration) => !migration.executedAt).length;
      if (missing > 0) pending.push(`${schema} (${missing})`);
    }
    if (pending.length === 0) return ok(`PostgreSQL at ${where} answers and is migrated`);
    const advice = `PostgreSQL at ${where} answers but lacks migrations in ${pending.join(', ')}: run pnpm db:migrate`;
    // The services and pnpm start migrate on start unless told not to, so this only blocks them then.
    return migrateOnStart ? { status: 'warn', message: `${advice} (or just start Parley, which migrates).` } : fail(`${advice}, since MIGRATE_ON_START=false.`);
  } catch (error) {
    return fail(describePostgresError(error as NodeJS.ErrnoException & { code?: string }, where, url));
  } finally {
    await db.destroy();
  }
}

function describePostgresError(error: NodeJS.ErrnoException, where: string, url: string): string {
  const database = decodeURIComponent(new URL(url).pathname.slice(1)) || 'the default database';
  switch (error.code) {
    case 'ECONNREFUSED':
      return `Cannot reach PostgreSQL at ${where} (connection refused): start PostgreSQL, or fix the host and port in DATABASE_URL.`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach PostgreSQL at ${where} (unknown host): fix the host name in DATABASE_URL.`;
    case '28P01':
    case '28000':
      return `PostgreSQL at ${where} refused the login (${error.message}): fix the user and password in DATABASE_URL.`;
    case '3D000':
      return `PostgreSQL at ${where} has no database ${database}: create it (createdb ${database}), or fix DATABASE_URL.`;
    default:
      return `Cannot use PostgreSQL at ${where} (${error.message || error.code}): check that it runs and that DATABASE_URL is right.`;
  }
}

/** REDIS_URL: does a Redis answer PING there (after AUTH, when the URL has a password)? */
export async function checkRedis(url: string): Promise<CheckResult> {
  let parsed: URL;
  try {
    parsed = new URL(url);
    if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new Error('not redis');
  } catch {
    return fail('REDIS_URL is not a Redis URL: write it as redis://host:6379 (rediss:// for TLS), or unset it for a single comments node.');
  }
  const where = `${parsed.hostname}:${parsed.port || 6379}`;
  try {
    const reply = await pingRedis(parsed);
    if (reply === '+PONG') return ok(`Redis at ${where} answers`);
    if (/^-(NOAUTH|WRONGPASS|ERR AUTH|ERR invalid password)/i.test(reply)) {
      return fail(`Redis at ${where} refused us (${reply.slice(1)}): put the right password in REDIS_URL (redis://:password@host:6379).`);
    }
    return fail(`Redis at ${where} answered PING with "${reply}": check that REDIS_URL points at a Redis server.`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'unknown host' : (error as Error).message;
    return fail(`Cannot reach Redis at ${where} (${why}): start Redis, fix REDIS_URL, or unset it when only one comments node runs.`);
  }
}

export interface SigningKeyToCheck {
  production: boolean;
  /** AUTH_SIGNING_KEY */
  pem?: string;
  /** AUTH_SIGNING_KEY_FILE */
  file?: string;
  dataDir: string;
}

/**
 * Production must be given its key: without one, auth refuses to start — or, worse, quietly uses
 * the development key `pnpm start` left in the data folder. The key is read the way auth reads it.
 */
export async function checkSigningKey({ production, pem, file, dataDir }: SigningKeyToCheck): Promise<CheckResult> {
  const devKey = resolve(dataDir, signingKeyFileName);
  const makeOne = 'pnpm keygen > secrets/auth-signing-key.pem';
  if (production && !pem && !file) {
    return (await exists(devKey))
      ? fail(`NODE_ENV=production would sign tokens with the development key in ${devKey}: set AUTH_SIGNING_KEY_FILE to a key of its own (${makeOne}).`)
      : fail(`NODE_ENV=production needs a signing key: set AUTH_SIGNING_KEY_FILE to a key file (${makeOne}) or AUTH_SIGNING_KEY to the PEM.`);
  }
  if (production && file && !pem && resolve(file) === devKey) {
    return fail(`AUTH_SIGNING_KEY_FILE is the development key pnpm start generated: give production a key of its own (${makeOne}).`);
  }
  if (!pem && !file) return ok(`Signing key: development, kept in ${devKey} (generated on first start)`);
  try {
    await loadOrCreateSigningKey({ pem, file, dataDir, allowGenerate: false });
  } catch (error) {
    // auth's own messages; the unreadable-file one names the problem but not the fix.
    const message = (error as Error).message.replace(/^auth: /, '');
    if (!/^cannot read/.test(message)) return fail(message);
    return fail(`Cannot read AUTH_SIGNING_KEY_FILE ${file} (${message.split(': ').pop()}): point it at a readable key file.`);
  }
  return ok(`Signing key: ${pem ? 'AUTH_SIGNING_KEY' : `AUTH_SIGNING_KEY_FILE (${file})`} is a P-256 private key`);
}
