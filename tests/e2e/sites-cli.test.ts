import { createHmac, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, testDatabaseEnv, type TestDatabase } from '@parley/db';
import { newControlToken, writeControlFile } from '../../scripts/cli/control';
import { startStack, type Stack } from '../../scripts/stack';
import { parley } from './cli-support';

/**
 * `pnpm parley sites …` as an operator runs it: while an embedded Parley is running (through its
 * control token) and on the server database directly, with the same rules as the admin API.
 */
jest.setTimeout(60_000);

let database: TestDatabase;
let stack: Stack;
let dataDir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-sites-cli-'));
  const token = newControlToken();
  stack = await startStack({ database: database.source, dataDir, ports: { gateway: 0, auth: 0, comments: 0 }, logLevel: 'silent', migrate: true, env: { PARLEY_CONTROL_TOKEN: token } });
  await writeControlFile(dataDir, { pid: process.pid, token, authUrl: stack.urls.auth, commentsUrl: stack.urls.comments });
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const running = () => ({ PARLEY_DATA_DIR: dataDir });

it('adds, shows, changes and lists a site on a running Parley, and the API sees it at once', async () => {
  const id = `gazette-${randomUUID().slice(0, 8)}`;
  const added = await parley(['sites', 'add', id, '--name', 'The Gazette', '--origin', 'https://WWW.Gazette.example/', '--set', 'premoderation=true'], '', running());
  expect(added).toMatchObject({ code: 0 });
  expect(added.out).toContain(`${id}  The Gazette`);
  expect(added.out).toContain('origins:  https://www.gazette.example');

  const changed = await parley(['sites', 'set', id, '--add-origin', 'https://amp.gazette.example', '--set', 'editWindowSeconds=600', '--unset', 'premoderation'], '', running());
  expect(changed.code).toBe(0);
  const shown = await parley(['sites', 'show', id, '--json'], '', running());
  expect(JSON.parse(shown.out).site).toMatchObject({
    id,
    origins: ['https://www.gazette.example', 'https://amp.gazette.example'],
    settings: { editWindowSeconds: 600 },
  });
  expect(JSON.parse(shown.out).site.settings).not.toHaveProperty('premoderation');
  expect((await parley(['sites', 'list'], '', running())).out).toContain(id);

  // The comments service serves the new site right away (reads are public).
  const thread = await fetch(`${stack.urls.gateway}/api/sites/${id}/articles/first/comments`);
  expect(thread.status).toBe(200);
});

it('refuses bad input with the reason, changing nothing, and explains its usage', async () => {
  const id = `bad-${randomUUID().slice(0, 8)}`;
  const badOrigin = await parley(['sites', 'add', id, '--name', 'Bad', '--origin', 'https://bad.example/articles'], '', running());
  expect(badOrigin.code).toBe(1);
  expect(badOrigin.err).toMatch(/^Nothing changed: site\.origins\.0 must be an origin like https:\/\/news\.example\.com/);
  expect((await parley(['sites', 'show', id], '', running())).err).toContain(`There is no site "${id}"`);

  expect((await parley(['sites', 'add', id, '--name', 'Good'], '', running())).code).toBe(0);
  const duplicate = await parley(['sites', 'add', id, '--name', 'Again'], '', running());
  expect(duplicate.err).toContain('exists already');
  const badSetting = await parley(['sites', 'set', id, '--set', 'editWindowSeconds=-5'], '', running());
  expect(badSetting.code).toBe(1);
  expect(badSetting.err).toContain('editWindowSeconds');

  expect((await parley(['sites', 'add'], '', running())).code).toBe(2);
  expect((await parley(['sites', 'frobnicate', id], '', running())).code).toBe(2);
  expect((await parley(['sites', 'add', id], '', running())).err).toContain('needs --name');
});

it('sets and unsets "posting needs a confirmed email", and the posting path obeys it at once', async () => {
  const id = `confirmed-${randomUUID().slice(0, 8)}`;
  expect((await parley(['sites', 'add', id, '--name', 'Confirmed Gazette', '--origin', 'https://confirmed.example'], '', running())).code).toBe(0);
  const on = await parley(['sites', 'set', id, '--set', 'requireVerifiedEmail=true'], '', running());
  expect(on).toMatchObject({ code: 0 });
  expect(on.out).toContain('requireVerifiedEmail: true');
  const register = await fetch(`${stack.urls.gateway}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `cli-${randomUUID()}@example.com`, password: 'correct horse battery', displayName: 'New Reader' }),
  });
  const { accessToken } = (await register.json()) as { accessToken: string };
  const post = () =>
    fetch(`${stack.urls.gateway}/api/sites/${id}/articles/first/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ body: 'Hello from a new account' }),
    });
  const refused = await post();
  expect(refused.status).toBe(403);
  expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('email_unverified');

  const bad = await parley(['sites', 'set', id, '--set', 'requireVerifiedEmail=maybe'], '', running());
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('requireVerifiedEmail');
  expect((await parley(['sites', 'set', id, '--unset', 'requireVerifiedEmail'], '', running())).code).toBe(0);
  expect((await post()).status).toBe(201);
});

// Each step is a command-line process (1–3 s to start under tsx on a busy machine): a longer budget.
it('adds, lists and removes a site\'s sign-on keys, showing a secret once and never again', async () => {
  const id = `keyed-${randomUUID().slice(0, 8)}`;
  expect((await parley(['sites', 'add', id, '--name', 'Keyed'], '', running())).code).toBe(0);
  expect((await parley(['sites', 'keys', id], '', running())).out).toContain(`${id} has no sign-on keys yet`);

  const added = await parley(['sites', 'keys', id, 'add', '--kid', 'gazette-2026', '--json'], '', running());
  expect(added.code).toBe(0);
  const created = JSON.parse(added.out) as { key: { kid: string; kind: string }; secret: string };
  expect(created.key).toMatchObject({ kid: 'gazette-2026', kind: 'secret' });
  expect(created.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

  const listed = await parley(['sites', 'keys', id, 'list'], '', running());
  expect(listed.out).toContain('gazette-2026  secret');
  expect(listed.out).not.toContain(created.secret);

  // The secret works: the publisher's token signed with it opens a session through the gateway.
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT', kid: 'gazette-2026' })}.${encode({ sub: 'reader-1', name: 'Gazette Reader', iat: now, exp: now + 300, jti: randomUUID(), aud: id })}`;
  const token = `${input}.${createHmac('sha256', created.secret).update(input).digest('base64url')}`;
  const exchanged = await fetch(`${stack.urls.gateway}/auth/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: id, token }) });
  expect(exchanged.status).toBe(200);

  const duplicate = await parley(['sites', 'keys', id, 'add', '--kid', 'gazette-2026'], '', running());
  expect(duplicate).toMatchObject({ code: 1 });
  expect(duplicate.err).toContain('already has a sign-on key with that kid');
  expect((await parley(['sites', 'keys', id, 'remove', 'gazette-2026'], '', running())).out).toContain('Removed gazette-2026');
  expect((await parley(['sites', 'keys', id, 'remove', 'gazette-2026'], '', running())).err).toContain('no sign-on key with that kid');
  expect((await parley(['sites', 'keys', `missing-${id}`, 'add'], '', running())).err).toContain('There is no site with that id');
  expect((await parley(['sites', 'keys', id, 'add', '--jwks', 'http://insecure.example/jwks.json'], '', running())).code).toBe(1);
  expect((await parley(['sites', 'keys', id, 'remove'], '', running())).code).toBe(2);
  expect((await parley(['sites', 'keys', id], '', running())).out).toContain('no sign-on keys yet');
}, 180_000);

const serverDatabase = process.env[testDatabaseEnv]?.startsWith('postgres') ? process.env[testDatabaseEnv] : undefined;

it(`works on ${serverDatabase ? 'DATABASE_URL' : 'an embedded folder no Parley has open'} too`, async () => {
  const folder = await mkdtemp(join(tmpdir(), 'parley-sites-cli-direct-'));
  try {
    const id = `direct-${randomUUID().slice(0, 8)}`;
    const env: Record<string, string> = serverDatabase ? { DATABASE_URL: serverDatabase } : { PARLEY_DATA_DIR: folder };
    expect((await parley(['sites', 'add', id, '--name', 'Direct'], '', env)).code).toBe(0);
    expect((await parley(['sites', 'show', id], '', env)).out).toContain(`${id}  Direct`);
    const key = await parley(['sites', 'keys', id, 'add', '--kid', 'direct-1'], '', env);
    expect(key.out).toContain('Secret (shown this once');
    expect((await parley(['sites', 'keys', id], '', env)).out).toContain('direct-1  secret');
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
