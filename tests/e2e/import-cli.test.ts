import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, testDatabaseEnv, type TestDatabase } from '@parley/db';
import { newControlToken, writeControlFile } from '../../scripts/cli/control';
import { startStack, type Stack } from '../../scripts/stack';
import { parley, root } from './cli-support';

/**
 * `pnpm parley import` and `export` as an operator runs them: while an embedded Parley is running
 * (the CLI parses the file and sends whole articles over the control route) and on the server
 * database directly. What readers then see comes through the gateway, like any thread.
 */
jest.setTimeout(90_000);

let database: TestDatabase;
let stack: Stack;
let folder: string;

beforeAll(async () => {
  database = await openTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'parley-import-cli-'));
  const token = newControlToken();
  stack = await startStack({ database: database.source, dataDir: folder, ports: { gateway: 0, auth: 0, comments: 0 }, logLevel: 'silent', migrate: true, env: { PARLEY_CONTROL_TOKEN: token } });
  await writeControlFile(folder, { pid: process.pid, token, authUrl: stack.urls.auth, commentsUrl: stack.urls.comments });
});

afterAll(async () => {
  await stack?.stop();
  await database?.close();
  await rm(folder, { recursive: true, force: true });
});

const running = () => ({ PARLEY_DATA_DIR: folder });
const disqus = join(root, 'packages/imports/src/fixtures/disqus-messy.xml');
const newSite = async () => {
  const id = `gazette-${randomUUID().slice(0, 8)}`;
  expect((await parley(['sites', 'add', id, '--name', 'The Gazette'], '', running())).code).toBe(0);
  return id;
};
const thread = async (site: string, key: string) => {
  const response = await fetch(`${stack.urls.gateway}/api/sites/${site}/articles/${key}/comments?limit=100`);
  expect(response.status).toBe(200);
  return (await response.json()) as { article: { commentCount: number; state: string; title: string | null }; comments: { html: string; status: string; author: { name: string } | null; replies: { html: string }[] }[] };
};

it('imports a messy Disqus file on a running Parley, says what it did, and a second run changes nothing', async () => {
  const site = await newSite();
  const dry = await parley(['import', 'disqus', disqus, '--site', site, '--dry-run'], '', running());
  expect(dry.code).toBe(0);
  expect(dry.out).toContain(`Dry run of the disqus import into ${site}: nothing was written.`);
  expect(dry.out).toContain('articles  5 new');
  expect((await thread(site, 'budget-2024')).article.commentCount).toBe(0);

  const first = await parley(['import', 'disqus', disqus, '--site', site], '', running());
  expect(first.code).toBe(0);
  expect(first.out).toContain(`Imported from disqus into ${site}:`);
  expect(first.out).toContain('articles  5 new, 0 with new comments, 0 unchanged');
  expect(first.out).toContain('comments  10 imported, 1 tombstones (deleted), 0 already there, 2 orphans');
  expect(first.out).toContain('line 144, column 3: skipped (malformed XML or JSON): unexpected close tag.');
  expect(first.out).toContain('line 1, column 1: 4 stray characters before the XML prolog were ignored');
  // Not a terminal: progress comes as plain lines on standard error.
  expect(first.err).toContain('reading 100%');
  expect(first.err).toContain('writing 100%  5/5 articles');

  const budget = await thread(site, 'budget-2024');
  expect(budget.article).toMatchObject({ commentCount: 4, title: 'The budget, line by line' });
  expect(JSON.stringify(budget)).not.toMatch(/<script|onclick|ann@example\.org/);
  expect(budget.comments.find((c) => c.status === 'deleted')!.replies).toHaveLength(1);

  const second = await parley(['import', 'disqus', disqus, '--site', site, '--json'], '', running());
  expect(second.code).toBe(0);
  const summary = JSON.parse(second.out);
  expect(summary.articles).toMatchObject({ created: 0, updated: 0, unchanged: 5 });
  expect(summary.comments).toMatchObject({ imported: 0, tombstones: 0, alreadyImported: 11 });
  expect(await thread(site, 'budget-2024')).toEqual(budget);
});

it('exports a site as JSON lines, emails only on request, and the export imports into another site the same', async () => {
  const site = await newSite();
  expect((await parley(['import', 'wordpress', join(root, 'packages/imports/src/fixtures/wordpress-messy.xml'), '--site', site], '', running())).code).toBe(0);
  const exported = await parley(['export', '--site', site], '', running());
  expect(exported.code).toBe(0);
  const lines = exported.out.trim().split('\n').map((line) => JSON.parse(line));
  expect(lines[0]).toMatchObject({ type: 'site', id: site });
  expect(lines.filter((l) => l.type === 'article').map((l) => l.key)).toEqual(['101', 'www.gazette.example-2019-04-link-only~d1a85df941']);
  expect(lines.filter((l) => l.type === 'comment')).toHaveLength(6);
  expect(exported.out).not.toContain('ann@example.org');
  const withPrivate = await parley(['export', '--site', site, '--include-private'], '', running());
  expect(withPrivate.out).toContain('"email":"ann@example.org"');

  const file = join(folder, 'export.jsonl');
  await writeFile(file, withPrivate.out);
  const copy = await newSite();
  const reimported = await parley(['import', 'parley', file, '--site', copy, '--json'], '', running());
  expect(reimported.code).toBe(0);
  expect(JSON.parse(reimported.out).comments).toMatchObject({ imported: 5, tombstones: 1, orphans: 0 });
  const original = await thread(site, '101');
  const again = await thread(copy, '101');
  const shape = (t: typeof original) => ({ article: { ...t.article, site: undefined }, comments: t.comments.map((c) => ({ html: c.html, status: c.status, author: c.author?.name ?? null, replies: c.replies.map((r) => r.html) })) });
  expect(shape(again)).toEqual(shape(original));
  expect(again.article.state).toBe('closed');
});

it('refuses bad usage and an unknown site, and says why', async () => {
  expect((await parley(['import'], '', running())).code).toBe(2);
  expect((await parley(['import', 'myspace', disqus, '--site', 'x'], '', running())).err).toContain('the format is one of disqus, wordpress, commento, parley');
  expect((await parley(['import', 'disqus', disqus], '', running())).code).toBe(2);
  const missing = await parley(['import', 'disqus', disqus, '--site', `nowhere-${randomUUID().slice(0, 8)}`], '', running());
  expect(missing.code).toBe(1);
  expect(missing.err).toContain('There is no site');
  const noFile = await parley(['import', 'disqus', join(folder, 'nope.xml'), '--site', 'x'], '', running());
  expect(noFile.code).toBe(1);
  expect(noFile.err).toContain('no such file');
  expect((await parley(['export'], '', running())).code).toBe(2);
  expect((await parley(['export', '--site', `nowhere-${randomUUID().slice(0, 8)}`], '', running())).err).toContain('There is no site');
});

const serverDatabase = process.env[testDatabaseEnv]?.startsWith('postgres') ? process.env[testDatabaseEnv] : undefined;

(serverDatabase ? it : it.skip)('works on DATABASE_URL too', async () => {
  const site = await newSite();
  const env = { DATABASE_URL: serverDatabase! };
  const imported = await parley(['import', 'commento', join(root, 'packages/imports/src/fixtures/commento.json'), '--site', site, '--json'], '', env);
  expect(imported.code).toBe(0);
  expect(JSON.parse(imported.out).comments).toMatchObject({ imported: 2, tombstones: 1 });
  const exported = await parley(['export', '--site', site], '', env);
  expect(exported.out.trim().split('\n').filter((line) => line.includes('"type":"comment"'))).toHaveLength(3);
});
