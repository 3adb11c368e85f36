import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { enrolByApi, nextCode } from '../support/authenticators';
import { consoleSignIn } from './console-sign-in';

/**
 * A newsroom sets Parley up without SQL and brings its own readers, end to end in Chromium: the
 * admin adds site "gazette" for a page this test serves and gives it an SSO secret; a reader signs
 * in through the page's own login, which hands the widget a token the "Gazette" signed; the reader
 * posts; a moderator of the gazette only removes the comment in the console, and a moderator of
 * the demo site cannot.
 */
jest.setTimeout(90_000);

let f: BrowserFixture;
let gazette: Server;
let gazetteOrigin: string;
let sso: { secret: string; kid: string } | undefined;
const siteId = `gazette-${randomUUID().slice(0, 6)}`;

/** The Gazette's own site: one article page and a sign-in endpoint that signs its reader's token. */
function gazettePage(parleyUrl: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Gazette</title>
<script src="${parleyUrl}/embed.js" async></script></head><body>
<h1>Mill Lane residents ask for a second tram consultation</h1>
<p id="account">Not signed in. <button id="gazette-login">Sign in with your Gazette account</button></p>
<parley-comments site="${siteId}" article="mill-lane" title="Mill Lane residents ask for a second tram consultation"></parley-comments>
<script>
document.getElementById('gazette-login').addEventListener('click', async () => {
  const { token } = await (await fetch('/sign-in', { method: 'POST' })).json();
  const user = await window.parley.login(token);
  document.getElementById('account').textContent = 'Signed in as ' + user.displayName;
});
</script></body></html>`;
}

function signFor(claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT', kid: sso!.kid })}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', sso!.secret).update(input).digest('base64url')}`;
}

async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${f.gatewayUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}

const login = async (email: string, password: string) => (await call<{ accessToken: string }>('POST', '/auth/login', undefined, { email, password, code: await nextCode(email, f.database.source) })).body.accessToken;

beforeAll(async () => {
  // The gateway reloads site origins every second here, so the new site's page may embed at once.
  f = await startBrowserFixture({ ALLOWED_ORIGINS_REFRESH_SECONDS: '1' });
  gazette = createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/sign-in') {
      const iat = Math.floor(Date.now() / 1000);
      const token = signFor({ sub: 'gazette-reader-1842', name: 'Margaret Okoye', badge: 'Subscriber', iat, exp: iat + 300, jti: randomUUID(), aud: siteId });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(gazettePage(f.gatewayUrl));
  });
  await new Promise<void>((resolve) => gazette.listen(0, '127.0.0.1', resolve));
  gazetteOrigin = `http://127.0.0.1:${(gazette.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => gazette?.close(resolve));
  await f?.close();
});

/** A new account an admin makes moderator of `sites`; returns its credentials. */
async function moderatorOf(adminToken: string, sites: string[], name: string) {
  const email = `${name.toLowerCase().replace(/\W/g, '')}-${randomUUID().slice(0, 6)}@example.com`;
  const password = 'a long moderator passphrase';
  const registered = await call<{ user: { id: string } }>('POST', '/auth/register', undefined, { email, password, displayName: name });
  expect((await call('PUT', `/auth/users/${registered.body.user.id}/role`, adminToken, { role: 'moderator', sites })).status).toBe(200);
  return { email, password };
}

it('a new site, its own readers by SSO, and staff per site', async () => {
  // The admin, from the command line's kind of client (no Origin: a staff session).
  const admin = await login('admin@example.com', 'parley-demo');
  const created = await call<{ site: { origins: string[] } }>('POST', '/api/admin/sites', admin, { id: siteId, name: 'The Gazette', origins: [`${gazetteOrigin}/`] });
  expect(created.status).toBe(201);
  expect(created.body.site.origins).toEqual([gazetteOrigin]);
  const key = await call<{ secret: string; key: { kid: string } }>('POST', `/auth/admin/sites/${siteId}/sso-keys`, admin, { kind: 'secret' });
  expect(key.status).toBe(201);
  sso = { secret: key.body.secret, kid: key.body.key.kid };
  const gazetteModerator = await moderatorOf(admin, [siteId], 'Gazette Desk');
  const demoModerator = await moderatorOf(admin, ['demo'], 'Courier Desk');
  // The gateway learns the new origin on its next allowed-origins refresh: wait until its preflight says so.
  for (let attempt = 0; attempt < 50; attempt++) {
    const preflight = await fetch(`${f.gatewayUrl}/api/sites/${siteId}/articles/mill-lane/comments`, {
      method: 'OPTIONS',
      headers: { origin: gazetteOrigin, 'access-control-request-method': 'POST' },
    });
    if (preflight.status === 204) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  // The reader signs in with the Gazette's own login and posts.
  const reader = await (await f.browser.newContext()).newPage();
  await reader.goto(`${gazetteOrigin}/`);
  const widget = reader.locator('parley-comments');
  await widget.getByRole('button', { name: 'log in' }).waitFor();
  await reader.getByRole('button', { name: 'Sign in with your Gazette account' }).click();
  await reader.locator('#account', { hasText: 'Signed in as Margaret Okoye' }).waitFor();
  await widget.getByText('Signed in as Margaret Okoye').waitFor();
  await widget.getByLabel('Your comment').fill('The consultation closed before anyone on Mill Lane heard of it.');
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  const posted = widget.locator('article.c', { hasText: 'The consultation closed' });
  await posted.locator('.badge', { hasText: 'Subscriber' }).waitFor();
  await screenshot(reader, 'newsroom-gazette-reader');

  // Someone reports it; the thread now has it in the gazette's reported queue.
  const thread = await call<{ comments: { id: string }[] }>('GET', `/api/sites/${siteId}/articles/mill-lane/comments`);
  const commentId = thread.body.comments[0]!.id;
  const neighbour = await call<{ accessToken: string }>('POST', '/auth/register', undefined, {
    email: `neighbour-${randomUUID().slice(0, 6)}@example.com`,
    password: 'a long neighbour passphrase',
    displayName: 'Neighbour',
  });
  expect((await call('POST', `/api/comments/${commentId}/reports`, neighbour.body.accessToken, { reason: 'off_topic' })).status).toBe(201);

  // The demo site's moderator can neither see it nor remove it.
  // Its first staff session: enrol an authenticator app (the password alone is a participant session).
  const demoToken = (await enrolByApi(f.gatewayUrl, demoModerator.email, demoModerator.password)).accessToken;
  const demoQueue = await call<{ items: { comment: { id: string } }[] }>('GET', '/api/moderation/queue?type=reported&limit=100', demoToken);
  expect(demoQueue.body.items.map((item) => item.comment.id)).not.toContain(commentId);
  const refused = await call<{ error: { code: string; message: string } }>('POST', `/api/moderation/comments/${commentId}/remove`, demoToken, { reason: 'off topic' });
  expect({ status: refused.status, message: refused.body.error.message }).toEqual({ status: 403, message: `You do not moderate the site "${siteId}"; an admin can add it to your sites.` });

  // The gazette's moderator removes it in the console, with the keyboard.
  const console = await (await f.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await console.goto(`${f.gatewayUrl}/moderate`);
  await consoleSignIn(console, gazetteModerator.email, gazetteModerator.password, { enrol: true });
  const item = console.locator('article.item', { hasText: 'The consultation closed' });
  await item.waitFor();
  await screenshot(console, 'newsroom-gazette-moderator-queue');
  // Keys rest for half a second after a redraw (the console's guard against acting by accident).
  await console.locator('#panel[data-keys="ready"]').waitFor();
  await item.focus();
  await console.keyboard.press('r');
  await item.waitFor({ state: 'detached' });

  await widget.getByText('Removed by a moderator').waitFor();
  const after = await call<{ comments: { id: string; status: string }[] }>('GET', `/api/sites/${siteId}/articles/mill-lane/comments`);
  expect(after.body.comments.find((comment) => comment.id === commentId)?.status).toBe('removed');
});
