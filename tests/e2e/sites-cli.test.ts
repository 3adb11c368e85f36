import { randomUUID } from 'node:crypto';
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

const serverDatabase = process.env[testDatabaseEnv]?.startsWith('postgres') ? process.env[testDatabaseEnv] : undefined;

it(`works on ${serverDatabase ? 'DATABASE_URL' : 'an embedded folder no Parley has open'} too`, async () => {
  const folder = await mkdtemp(join(tmpdir(), 'parley-sites-cli-direct-'));
  try {
    const id = `direct-${randomUUID().slice(0, 8)}`;
    const env: Record<string, string> = serverDatabase ? { DATABASE_URL: serverDatabase } : { PARLEY_DATA_DIR: folder };
    expect((await parley(['sites', 'add', id, '--name', 'Direct'], '', env)).code).toBe(0);
    expect((await parley(['sites', 'show', id], '', env)).out).toContain(`${id}  Direct`);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
});
