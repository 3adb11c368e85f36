import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { nextCode } from '../support/authenticators';
import { startTestProvider, type TestProvider } from '../support/oidc-provider';

/**
 * OpenID Connect login end to end in Chromium, against a real provider (oidc-provider) the test
 * starts: the admin adds site "gazette" for a page this test serves and gives it the Gazette's
 * identity provider; a reader on the page clicks "Log in with Gazette ID", signs in at the provider
 * in the popup, comes back signed in (no Parley password) and posts.
 */
jest.setTimeout(90_000);

let f: BrowserFixture;
let provider: TestProvider;
let gazette: Server;
let gazetteOrigin: string;
const siteId = `gazette-oidc-${randomUUID().slice(0, 6)}`;

const gazettePage = (parleyUrl: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The Gazette</title>
<script src="${parleyUrl}/embed.js" async></script></head><body>
<h1>Mill Lane residents ask for a second tram consultation</h1>
<parley-comments site="${siteId}" article="mill-lane-oidc" title="Mill Lane residents ask for a second tram consultation"></parley-comments>
</body></html>`;

async function call<T>(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await fetch(`${f.gatewayUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json().catch(() => ({}))) as T };
}

beforeAll(async () => {
  [f, provider] = await Promise.all([startBrowserFixture({ ALLOWED_ORIGINS_REFRESH_SECONDS: '1' }), startTestProvider()]);
  gazette = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(gazettePage(f.gatewayUrl)));
  await new Promise<void>((resolve) => gazette.listen(0, '127.0.0.1', resolve));
  gazetteOrigin = `http://127.0.0.1:${(gazette.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => gazette?.close(resolve));
  await Promise.all([f?.close(), provider?.stop()]);
});

it('a reader logs in with the site\'s identity provider in a popup and posts', async () => {
  const admin = (
    await call<{ accessToken: string }>('POST', '/auth/login', undefined, {
      email: 'admin@example.com',
      password: 'parley-demo',
      code: await nextCode('admin@example.com', f.database.source),
    })
  ).body.accessToken;
  expect((await call('POST', '/api/admin/sites', admin, { id: siteId, name: 'The Gazette', origins: [gazetteOrigin] })).status).toBe(201);
  const redirectUri = `${f.gatewayUrl}/auth/oidc/callback`;
  const client = await provider.register([redirectUri]);
  const configured = await call<{ provider: { redirectUri: string } }>('PUT', `/auth/admin/sites/${siteId}/oidc`, admin, {
    issuer: provider.issuer,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    label: 'Log in with Gazette ID',
  });
  expect(configured.status).toBe(200);
  expect(configured.body.provider.redirectUri).toBe(redirectUri);
  // The gateway learns the new origin on its next allowed-origins refresh: wait until its preflight says so.
  for (let attempt = 0; attempt < 50; attempt++) {
    const preflight = await fetch(`${f.gatewayUrl}/auth/oidc/exchange`, { method: 'OPTIONS', headers: { origin: gazetteOrigin, 'access-control-request-method': 'POST' } });
    if (preflight.status === 204) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const context = await f.browser.newContext();
  const reader = await context.newPage();
  await reader.goto(`${gazetteOrigin}/`);
  const widget = reader.locator('parley-comments');
  const loginButton = widget.getByRole('button', { name: 'Log in with Gazette ID' });
  await loginButton.waitFor();
  const [popup] = await Promise.all([context.waitForEvent('page'), loginButton.click()]);

  // At the provider: its own login page, then its consent page.
  await popup.locator('input[name=login]').fill('ada');
  await popup.locator('input[name=password]').fill('the Gazette password');
  await popup.locator('button[type=submit]').click();
  await popup.getByRole('button', { name: 'Continue' }).click();
  await popup.waitForEvent('close');

  await widget.getByText('Signed in as Ada Gazette').waitFor();
  await widget.getByLabel('Your comment').fill('Signed in with my Gazette ID, no second password.');
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  await widget.locator('article.c', { hasText: 'Signed in with my Gazette ID' }).waitFor();
  await screenshot(reader, 'oidc-gazette-reader');

  // The session lives only in the page (no token in any URL it visited), and it is a participant one.
  const thread = await call<{ comments: { authorName?: string; author?: { displayName?: string } }[] }>('GET', `/api/sites/${siteId}/articles/mill-lane-oidc/comments`);
  expect(JSON.stringify(thread.body.comments[0])).toContain('Ada Gazette');
  expect(reader.url()).toBe(`${gazetteOrigin}/`);
  await context.close();
});
