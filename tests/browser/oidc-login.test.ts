import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { nextCode } from '../support/authenticators';
import { startTestProvider, type TestProvider } from '../support/oidc-provider';
import { consoleSignIn } from './console-sign-in';

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

it('an admin sets the provider up in the console: a wrong issuer changes nothing, the redirect URI is shown, removal asks first', async () => {
  const site = `oidc-console-${randomUUID().slice(0, 6)}`;
  const admin = (
    await call<{ accessToken: string }>('POST', '/auth/login', undefined, {
      email: 'admin@example.com',
      password: 'parley-demo',
      code: await nextCode('admin@example.com', f.database.source),
    })
  ).body.accessToken;
  expect((await call('POST', '/api/admin/sites', admin, { id: site, name: 'Console Gazette', origins: [] })).status).toBe(201);
  const client = await provider.register([`${f.gatewayUrl}/auth/oidc/callback`]);

  const page = await (await f.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${f.gatewayUrl}/moderate`);
  await consoleSignIn(page, 'admin@example.com', 'parley-demo', { database: f.database.source });
  await page.getByRole('tab', { name: 'Sites' }).click();
  await page.locator(`.site-card[data-site="${site}"]`).getByRole('button', { name: /^Provider login/ }).click();
  const panel = page.getByRole('region', { name: 'Provider login of Console Gazette' });
  await panel.getByText('No provider').waitFor();

  // A wrong issuer: the reason, and nothing stored.
  await panel.getByLabel('Issuer URL').fill(`${provider.issuer}/not-the-issuer`);
  await panel.getByLabel('Client id').fill(client.clientId);
  await panel.getByLabel('Client secret').fill(client.clientSecret);
  await panel.getByLabel('Button text').fill('Log in with Gazette ID');
  await panel.getByRole('button', { name: 'Save provider' }).click();
  await panel.getByRole('status').getByText(/^Not saved/).waitFor();
  expect((await call<{ label: string | null }>('GET', `/auth/oidc/sites/${site}`)).body).toEqual({ label: null });

  await panel.getByLabel('Issuer URL').fill(provider.issuer);
  await panel.getByRole('button', { name: 'Save provider' }).click();
  await panel.getByRole('status').getByText(/^Saved/).waitFor();
  await panel.getByText(`${f.gatewayUrl}/auth/oidc/callback`).waitFor();
  // The secret is write-only: the field is empty again, and the page never holds it.
  expect(await panel.getByLabel('Client secret').inputValue()).toBe('');
  expect((await call<{ label: string | null }>('GET', `/auth/oidc/sites/${site}`)).body).toEqual({ label: 'Log in with Gazette ID' });
  await screenshot(page, 'console-oidc-provider');

  await panel.getByRole('button', { name: 'Remove provider…' }).click();
  await panel.getByRole('button', { name: 'Keep it' }).click();
  expect((await call<{ label: string | null }>('GET', `/auth/oidc/sites/${site}`)).body.label).toBe('Log in with Gazette ID');
  await panel.getByRole('button', { name: 'Remove provider…' }).click();
  await panel.getByRole('button', { name: 'Remove it' }).click();
  await panel.getByRole('status').getByText('Removed the provider.').waitFor();
  expect((await call<{ label: string | null }>('GET', `/auth/oidc/sites/${site}`)).body).toEqual({ label: null });
  await page.context().close();
});
