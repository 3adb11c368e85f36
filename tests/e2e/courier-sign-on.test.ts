import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoSsoKey } from '@parley/auth';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { startDemoSite, type DemoSite } from '@parley/demo-site';
import { seedAll, startStack, type Stack } from '../../scripts/stack';

/**
 * The demo's publisher sign-on as `pnpm start` runs it: the Kestrelford Courier's own accounts
 * (a signed cookie on the demo origin) hand out tokens signed with the demo site's seeded key,
 * and Parley exchanges them for a reader's session with a Subscriber badge.
 */
let database: TestDatabase;
let stack: Stack;
let demo: DemoSite;
let dataDir: string;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-courier-'));
  stack = await startStack({ database: database.source, dataDir, ports: { gateway: 0, auth: 0, comments: 0 }, logLevel: 'silent' });
  demo = await startDemoSite({ port: 0, parleyUrl: stack.urls.gateway, signOn: await seedDemoSsoKey(database.source) });
  await seedAll(database.source, [demo.url]);
});
afterAll(async () => {
  await demo?.close();
  await stack?.stop();
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const post = (path: string, init: RequestInit = {}) => fetch(`${demo.url}${path}`, { method: 'POST', redirect: 'manual', ...init });

it('signs a Courier reader in to the discussion with a token the Courier signed', async () => {
  const page = await (await fetch(`${demo.url}/articles/river-festival.html`)).text();
  expect(page).toContain('id="courier-account"');
  expect((await post('/account/parley-token')).status).toBe(401);

  const signedIn = await post('/account/sign-in?return=/articles/river-festival.html', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'name=Ada+Lovelace',
  });
  expect(signedIn.status).toBe(303);
  expect(signedIn.headers.get('location')).toBe('/articles/river-festival.html');
  const cookie = signedIn.headers.get('set-cookie')!.split(';')[0]!;

  const answer = (await (await post('/account/parley-token', { headers: { cookie } })).json()) as { token: string; name: string };
  expect(answer.name).toBe('Ada Lovelace');
  const session = await fetch(`${stack.urls.gateway}/auth/sso`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: demo.url },
    body: JSON.stringify({ site: 'demo', token: answer.token }),
  });
  expect(session.status).toBe(200);
  const body = (await session.json()) as { user: { displayName: string }; accessToken: string };
  expect(body.user.displayName).toBe('Ada Lovelace');
  const claims = JSON.parse(Buffer.from(body.accessToken.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  expect(claims).toMatchObject({ scope: 'participant', idp: 'sso:demo', badge: 'Subscriber' });
});

it('refuses a forged cookie and never redirects off the site', async () => {
  expect((await post('/account/parley-token', { headers: { cookie: 'courier_reader=eyJzdWIiOiJ4IiwibmFtZSI6Ik1hbGxvcnkifQ.forged' } })).status).toBe(401);
  const offsite = await post('/account/sign-in?return=//evil.example/', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=Eve' });
  expect(offsite.headers.get('location')).toBe('/');
  const nameless = await post('/account/sign-in', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=' });
  expect(nameless.headers.get('location')).toContain('missing=1');
  // The seeded key is the same on every start, so the Courier's tokens keep working.
  expect(await seedDemoSsoKey(database.source)).toEqual(await seedDemoSsoKey(database.source));
});
