import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPrivateDatabase, openTestDatabase, testDatabaseEnv, type TestDatabase } from '@parley/db';
import { freePort } from '@parley/platform';
import { generateSigningKeyPem } from '@parley/tokens';
import { newControlToken, writeControlFile } from '../../scripts/cli/control';
import { startStack, type Stack } from '../../scripts/stack';
import { parley, root, tsx } from './cli-support';

/**
 * The first admin of a deployment comes from `pnpm parley admin create` (production seeds no
 * accounts), run as a person would: a process, the password on standard input — here while an
 * embedded Parley is running and holds its database, and against the server database directly.
 */
jest.setTimeout(60_000);

let database: TestDatabase;
let stack: Stack;
let dataDir: string;
const token = newControlToken();

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-admin-cli-'));
  stack = await startStack({
    database: database.source,
    dataDir,
    ports: { gateway: 0, auth: 0, comments: 0 },
    logLevel: 'silent',
    migrate: true,
    env: { PARLEY_CONTROL_TOKEN: token },
  });
  // As the launcher does once the services listen (this test process stands in for it).
  await writeControlFile(dataDir, { pid: process.pid, token, authUrl: stack.urls.auth, commentsUrl: stack.urls.comments });
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const cli = parley;

async function login(email: string, password: string) {
  const response = await fetch(`${stack.urls.gateway}/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return { status: response.status, body: (await response.json()) as { user?: { role: string; displayName: string }; secondFactor?: string } };
}

it('creates an admin in the running embedded Parley, password from standard input', async () => {
  const email = `ops-${Date.now()}@example.com`;
  const result = await cli(['admin', 'create', '--email', email, '--name', 'Night Desk'], 'a long and unusual passphrase\n', { PARLEY_DATA_DIR: dataDir });
  expect(result).toMatchObject({ code: 0 });
  expect(result.out).toContain(`Created admin ${email} (Night Desk)`);
  const session = await login(email, 'a long and unusual passphrase');
  // A new admin's password alone is a participant session: the console has them enrol an authenticator app.
  expect(session).toMatchObject({ status: 200, body: { user: { role: 'admin', displayName: 'Night Desk', emailVerified: true }, secondFactor: 'enrol' } });
});

it('refuses a common or short password, a taken email and bad usage, creating nothing', async () => {
  const email = `weak-${Date.now()}@example.com`;
  const common = await cli(['admin', 'create', '--email', email], 'password1234\n', { PARLEY_DATA_DIR: dataDir });
  expect(common.code).toBe(1);
  expect(common.err).toContain('password is one of the most common passwords');
  const short = await cli(['admin', 'create', '--email', email], 'short\n', { PARLEY_DATA_DIR: dataDir });
  expect(short.err).toContain('password must be at least 10 characters');
  expect((await login(email, 'password1234')).status).toBe(401);

  const taken = `taken-${Date.now()}@example.com`;
  expect((await cli(['admin', 'create', '--email', taken], 'a long and unusual passphrase\n', { PARLEY_DATA_DIR: dataDir })).code).toBe(0);
  const again = await cli(['admin', 'create', '--email', taken], 'another long passphrase\n', { PARLEY_DATA_DIR: dataDir });
  expect(again.code).toBe(1);
  expect(again.err).toMatch(/already exists/);

  const usage = await cli(['admin', 'make', '--email', email], '', { PARLEY_DATA_DIR: dataDir });
  expect(usage.code).toBe(2);
});

it('is refused by a running Parley without the right control token', async () => {
  const otherDir = await mkdtemp(join(tmpdir(), 'parley-admin-cli-forged-'));
  try {
    await writeControlFile(otherDir, { pid: process.pid, token: newControlToken(), authUrl: stack.urls.auth, commentsUrl: stack.urls.comments });
    const email = `forged-${Date.now()}@example.com`;
    const result = await cli(['admin', 'create', '--email', email], 'a long and unusual passphrase\n', { PARLEY_DATA_DIR: otherDir });
    expect(result.code).toBe(1);
    expect(result.err).toContain('control token');
    expect((await login(email, 'a long and unusual passphrase')).status).toBe(401);
  } finally {
    await rm(otherDir, { recursive: true, force: true });
  }
});

const serverDatabase = process.env[testDatabaseEnv]?.startsWith('postgres') ? process.env[testDatabaseEnv] : undefined;

it(`creates an admin on ${serverDatabase ? 'DATABASE_URL' : 'an embedded data folder no Parley has open'}`, async () => {
  const email = `direct-${Date.now()}@example.com`;
  const folder = await mkdtemp(join(tmpdir(), 'parley-admin-cli-direct-'));
  try {
    const env: Record<string, string> = serverDatabase ? { DATABASE_URL: serverDatabase } : { PARLEY_DATA_DIR: folder };
    const result = await cli(['admin', 'create', '--email', email], 'a long and unusual passphrase\n', env);
    expect(result).toMatchObject({ code: 0 });
    if (serverDatabase) expect((await login(email, 'a long and unusual passphrase')).body.user?.role).toBe('admin');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});

describe('pnpm start in production', () => {
  /** Runs the launcher until its banner (or its exit), then stops it. */
  async function launch(env: Record<string, string>): Promise<{ code: number | null; output: string; gateway: string }> {
    const [gateway, demo, auth, comments] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const folder = await mkdtemp(join(tmpdir(), 'parley-production-'));
    if (env.DEV_KEY_LEFT_BEHIND) await writeFile(join(folder, 'auth-signing-key.pem'), generateSigningKeyPem(), { mode: 0o600 });
    const base = { ...process.env };
    for (const name of ['DATABASE_URL', 'AUTH_SIGNING_KEY', 'AUTH_SIGNING_KEY_FILE', 'PARLEY_DEMO']) delete base[name];
    // A database of its own: the shared test database has demo accounts other files seeded.
    const own = serverDatabase ? await openPrivateDatabase() : undefined;
    const ownUrl = own?.source.kind === 'postgres' ? own.source.url : undefined;
    const child = spawn(tsx, ['scripts/start-embedded.ts'], {
      cwd: root,
      env: { ...base, NODE_ENV: 'production', LOG_FORMAT: 'json', PORT: String(gateway), DEMO_PORT: String(demo), AUTH_PORT: String(auth), COMMENTS_PORT: String(comments), PARLEY_DATA_DIR: folder, ...(ownUrl ? { DATABASE_URL: ownUrl } : {}), ...env },
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    const deadline = Date.now() + 45_000;
    while (!output.includes('Parley is running.') && child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const url = `http://127.0.0.1:${gateway}`;
    if (child.exitCode === null) {
      const probe = await fetch(`${url}/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'admin@example.com', password: 'parley-demo' }),
      });
      output += `\nlogin:${probe.status}\n`;
      child.kill('SIGINT');
    }
    const code = await exited;
    await own?.close();
    await rm(folder, { recursive: true, force: true });
    return { code, output, gateway: url };
  }

  it('seeds no demo accounts, prints no password, and says how to create the first admin', async () => {
    const started = await launch({ AUTH_SIGNING_KEY: generateSigningKeyPem() });
    expect(started.output).toContain('Parley is running.');
    expect(started.output).toContain('pnpm parley admin create');
    expect(started.output).not.toContain('parley-demo');
    expect(started.output).toContain('login:401');
  });

  it('refuses to start with the development key left in the data folder, or with no key', async () => {
    const devKey = await launch({ DEV_KEY_LEFT_BEHIND: '1' });
    expect(devKey.code).toBe(1);
    expect(devKey.output).toContain('refusing the development signing key');
    const none = await launch({});
    expect(none.code).toBe(1);
    expect(none.output).toContain('no signing key');
  });
});
