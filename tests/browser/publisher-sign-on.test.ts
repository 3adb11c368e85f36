import { createHmac, randomUUID } from 'node:crypto';
import { parleyApi } from './api';
import { consoleSignIn } from './console-sign-in';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { staffAccessToken } from '../support/authenticators';

/**
 * Publisher sign-on in real Chromium, on the whole stack: an admin gives the demo site an SSO
 * secret (auth asks the comments service that the site exists), the "publisher's server" (this
 * test) signs a token for its reader, and the article page hands it to the widget — by the
 * `sso-token` attribute or by `window.parley.login(token)`. The reader is signed in without a
 * Parley password, and their badge shows beside their name.
 */
jest.setTimeout(60_000);

/** What the widget puts on the page (packages/widget/src/widget/page-session.ts). */
declare global {
  interface Window {
    parley?: { login(token: string, options?: { site?: string }): Promise<{ displayName: string }>; logout(): Promise<void> };
  }
}

let f: BrowserFixture;
beforeAll(async () => {
  f = await startBrowserFixture();
});
afterAll(async () => f?.close());

let adminSession: Promise<string> | undefined;
/** Password and a code of the demo admin's authenticator app (the password alone is a participant session). */
async function adminToken(): Promise<string> {
  adminSession ??= staffAccessToken(f.gatewayUrl, f.database.source, 'admin@example.com');
  return adminSession;
}

async function createKey(site: string): Promise<{ status: number; body: { key?: { kid: string }; secret?: string; error?: { code: string } } }> {
  const response = await fetch(`${f.gatewayUrl}/auth/admin/sites/${site}/sso-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken()}` },
    body: JSON.stringify({ kind: 'secret' }),
  });
  return { status: response.status, body: (await response.json()) as never };
}

/** What a publisher's server does: an HS256 JWT over the reader's claims, with the site's secret. */
function signFor(secret: string, kid: string, claims: Record<string, unknown>): string {
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT', kid })}.${encode(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

const readerToken = (secret: string, kid: string, name: string) => {
  const iat = Math.floor(Date.now() / 1000);
  return signFor(secret, kid, { sub: `subscriber-${randomUUID()}`, name, badge: 'Subscriber', iat, exp: iat + 300, jti: randomUUID(), aud: f.siteId });
};

it('refuses a key for a site the comments service does not know', async () => {
  const refused = await createKey('no-such-site');
  expect({ status: refused.status, code: refused.body.error?.code }).toEqual({ status: 404, code: 'site_not_found' });
});

it('signs a subscriber in from the publisher\'s token and shows their badge', async () => {
  const created = await createKey(f.siteId);
  expect(created.status).toBe(201);
  const { secret, key } = created.body as { secret: string; key: { kid: string } };

  const page = await (await f.browser.newContext()).newPage();
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  const widget = page.locator('parley-comments');
  await widget.getByRole('button', { name: 'log in' }).waitFor();

  // The attribute, set once the publisher's page knows its reader.
  await page.evaluate((token) => document.querySelector('parley-comments')!.setAttribute('sso-token', token), readerToken(secret, key.kid, 'Ada Subscriber'));
  await widget.getByText('Signed in as Ada Subscriber').waitFor();
  await widget.locator('.account .badge', { hasText: 'Subscriber' }).waitFor();
  // The token is a credential: it does not stay in the page's DOM.
  expect(await page.evaluate(() => document.querySelector('parley-comments')!.hasAttribute('sso-token'))).toBe(false);

  await widget.getByLabel('Your comment').fill('Posted as a subscriber, no Parley password needed.');
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  const comment = widget.locator('article.c', { hasText: 'Posted as a subscriber' });
  await comment.locator('.badge', { hasText: 'Subscriber' }).waitFor();

  // My account: the name is the publisher's to change, and there is no Parley password.
  await widget.getByRole('button', { name: 'My account' }).click();
  await widget.locator('.account-panel', { hasText: 'Ada Subscriber — Your name and sign-in are managed by this site.' }).waitFor();
  expect(await widget.getByLabel('Display name').count()).toBe(0);
  expect(await widget.getByLabel('Current password').count()).toBe(0);

  // The publisher's logout ends the Parley session too; window.parley.login signs someone else in.
  await page.evaluate(() => window.parley!.logout());
  await widget.getByRole('button', { name: 'log in' }).waitFor();
  const name = await page.evaluate(async (token) => (await window.parley!.login(token)).displayName, readerToken(secret, key.kid, 'Ben Subscriber'));
  expect(name).toBe('Ben Subscriber');
  await widget.getByText('Signed in as Ben Subscriber').waitFor();

  // A forged token is refused, and the page learns why.
  await page.evaluate(() => window.parley!.logout());
  const refused = await page.evaluate(async (token) => {
    try {
      await window.parley!.login(token);
      return 'signed in';
    } catch (error) {
      return (error as { code?: string }).code ?? String(error);
    }
  }, readerToken('not-the-secret-at-all-not-the-secret-at-all', key.kid, 'Mallory'));
  expect(refused).toBe('sso_bad_signature');
  await widget.getByRole('button', { name: 'log in' }).waitFor();
});

it('shows a subscriber\'s badge beside their name in the moderator console too', async () => {
  // A site of its own, so the reported queue it is shown in holds this comment only.
  const site = `badges-${randomUUID().slice(0, 8)}`;
  const created = await fetch(`${f.gatewayUrl}/api/admin/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await adminToken()}` },
    body: JSON.stringify({ id: site, name: 'Badge Gazette', origins: [] }),
  });
  expect(created.status).toBe(201);
  const { secret, key } = (await createKey(site)).body as { secret: string; key: { kid: string } };
  const iat = Math.floor(Date.now() / 1000);
  const token = signFor(secret, key.kid, { sub: `subscriber-${randomUUID()}`, name: 'Cleo Subscriber', badge: 'Subscriber', iat, exp: iat + 300, jti: randomUUID(), aud: site });
  const exchanged = await fetch(`${f.gatewayUrl}/auth/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site, token }) });
  const { accessToken } = (await exchanged.json()) as { accessToken: string };
  const api = parleyApi(f.gatewayUrl, site);
  const { comment } = await api.post(accessToken, 'badges', 'A subscriber says something a reader reports.');
  await api.report((await api.register('Ria Reporter')).token, comment.id, 'spam');

  const page = await (await f.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${f.gatewayUrl}/moderate?site=${site}`);
  await consoleSignIn(page, 'admin@example.com', 'parley-demo', { database: f.database.source });
  const item = page.locator(`[data-id="${comment.id}"]`);
  await item.locator('.meta .badge', { hasText: 'Subscriber' }).waitFor();
  await page.context().close();
});
