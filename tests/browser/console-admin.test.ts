import { createHmac, randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { parleyApi } from './api';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { consoleSignIn } from './console-sign-in';

/**
 * A newsroom sets Parley up in the console, without SQL: the admin adds a site (and is told what
 * is wrong with an origin), changes its settings, and makes a colleague moderator of that site
 * only; the colleague then signs in and sees just that site. The one-key queue shortcuts never
 * fire while someone types in these forms.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;

beforeAll(async () => {
  f = await startBrowserFixture();
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

async function signIn(email: string, password: string, options: { enrol?: boolean } = {}): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate`);
  await consoleSignIn(page, email, password, { database: f.database.source, ...options });
  await page.getByRole('tab', { name: 'Reported' }).waitFor();
  return page;
}

/** Screenshots at 1280 and 375 px wide; at 375 nothing may stick out sideways. */
async function screenshots(page: Page, name: string): Promise<void> {
  // From the top, so the sticky header is where a person sees it, not over the middle of a full-page shot.
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, `${name}-1280`);
  await page.setViewportSize({ width: 375, height: 800 });
  await page.evaluate(() => window.scrollTo(0, 0));
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  await screenshot(page, `${name}-375`);
  await page.setViewportSize({ width: 1280, height: 900 });
  expect({ name, overflow }).toEqual({ name, overflow: 0 });
}

const optionTexts = (page: Page, selector: string) => page.locator(selector).evaluateAll((options) => options.map((option) => option.textContent));

it('an admin adds a site, fixes a bad origin, changes its settings and makes a colleague its moderator; the colleague sees only that site', async () => {
  const siteId = `gazette-${randomUUID().slice(0, 8)}`;
  const siteName = 'Kestrelford Gazette: jobs, arts & books';
  const colleague = await api.register('Nadia Newsdesk');
  const admin = await signIn('admin@example.com', 'parley-demo');

  await admin.getByRole('tab', { name: 'Sites' }).click();
  await admin.getByRole('button', { name: 'Add a site' }).click();
  const create = admin.getByRole('form', { name: 'Add a site' });
  await create.getByLabel('Site id').fill(siteId);
  await create.getByLabel('Name').fill(siteName);
  await create.getByLabel('Origins, one per line').fill('https://gazette.example\n\nhttps://gazette.example/news');
  await create.getByRole('button', { name: 'Add site' }).click();

  // The server's message, beside the origins, on the line the bad one was typed on; nothing else changed.
  const originsError = create.locator('#site-new-origins-error');
  await originsError.getByText(/^Line 3: must be an origin like https:\/\/news\.example\.com/).waitFor();
  expect(await create.getByLabel('Origins, one per line').getAttribute('aria-invalid')).toBe('true');
  expect(await create.getByLabel('Name').inputValue()).toBe(siteName);
  expect(await create.getByLabel('Site id').inputValue()).toBe(siteId);
  expect(await admin.locator(`.site-card[data-site="${siteId}"]`).count()).toBe(0);
  await screenshots(admin, 'console-admin-site-invalid');

  await create.getByLabel('Origins, one per line').fill('https://gazette.example\nhttps://WWW.gazette.example:443/');
  await create.getByRole('button', { name: 'Add site' }).click();
  const card = admin.locator(`.site-card[data-site="${siteId}"]`);
  await card.getByText('https://www.gazette.example', { exact: true }).waitFor();
  await admin.getByRole('status').getByText(`Added ${siteName} (${siteId}).`, { exact: false }).waitFor();

  // Changing it: prefilled with what is stored; a refused save shows the message and changes nothing else.
  const patches: unknown[] = [];
  admin.on('request', (request) => request.method() === 'PATCH' && patches.push(request.postDataJSON()));
  // Right after adding, the new site's form is open: "Change" keeps it and what is typed in it (it
  // used to fetch the site and draw the form again, dropping a choice made meanwhile).
  const edit = admin.getByRole('form', { name: `Change ${siteName}` });
  await edit.getByLabel('Pre-moderation').selectOption('true');
  await card.getByRole('button', { name: new RegExp(`^Change ${siteName}`) }).click();
  await admin.waitForLoadState('networkidle');
  expect(await edit.getByLabel('Pre-moderation').inputValue()).toBe('true');
  expect(await edit.getByLabel('Origins, one per line').inputValue()).toBe('https://gazette.example\nhttps://www.gazette.example');
  expect(await edit.getByLabel('Site id').getAttribute('readonly')).toBe('');
  await edit.getByLabel('Edit window (seconds)').fill('99999999');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await edit.locator('#site-edit-editWindowSeconds-error').getByText(/604800/).waitFor();
  await card.getByText('off', { exact: true }).waitFor();
  expect(await edit.getByLabel('Pre-moderation').inputValue()).toBe('true');

  await edit.getByLabel('Edit window (seconds)').fill('600');
  await edit.getByLabel('Reports before hold').fill('3');
  await edit.getByLabel('Removal reasons, one per line').fill('Spam\nPersonal attack');
  await edit.getByLabel('Posting needs a confirmed email').selectOption('true');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await admin.getByRole('status').getByText(`Saved ${siteName}.`).waitFor();
  await card.getByText('on: new comments wait for a moderator').waitFor();
  await card.getByText('600 s').waitFor();
  await card.getByText('required', { exact: true }).waitFor();
  expect(await edit.locator('.field-error').allTextContents()).toEqual(Array(14).fill(''));
  // Only what changed was sent: the name and origins stayed as they were.
  expect(patches.at(-1)).toEqual({ settings: { premoderation: true, editWindowSeconds: 600, reportsToPending: 3, removalReasons: ['Spam', 'Personal attack'], requireVerifiedEmail: true } });
  await screenshots(admin, 'console-admin-sites');

  // Staff: the server's answer is shown, also when it refuses (nobody changes their own role).
  await admin.getByRole('tab', { name: 'Staff' }).click();
  await admin.getByLabel('Email').fill('admin@example.com');
  await admin.getByRole('button', { name: 'Find' }).click();
  await admin.getByLabel('Reader: no staff powers').check();
  await admin.getByRole('button', { name: 'Change role…' }).click();
  await admin.getByRole('button', { name: 'Yes, change the role' }).click();
  await admin.getByText('You cannot change your own role; ask another admin.').waitFor();

  await admin.getByLabel('Email').fill(colleague.email);
  await admin.getByRole('button', { name: 'Find' }).click();
  const person = admin.getByRole('region', { name: `Nadia Newsdesk (${colleague.email})` });
  await person.locator('.current-role').getByText('reader').waitFor();
  await person.getByLabel('Moderator of the sites below').check();
  await person.getByLabel(`${siteName} (${siteId})`).check();
  await person.getByRole('button', { name: 'Change role…' }).click();
  await person.getByText(`Make Nadia Newsdesk moderator of ${siteId}? Their sessions end now.`).waitFor();
  await screenshots(admin, 'console-admin-staff-confirm');
  await person.getByRole('button', { name: 'Yes, change the role' }).click();
  await admin.getByText(`Nadia Newsdesk is now moderator of ${siteId}. They sign in again to use it.`).waitFor();
  await admin.locator('.current-role').getByText(`moderator of ${siteId}`).waitFor();

  // The colleague: only that site, in Sites and in the queue filter; no admin section.
  const moderator = await signIn(colleague.email, colleague.password, { enrol: true });
  await moderator.waitForFunction(() => document.querySelectorAll('#site option').length > 1);
  expect(await optionTexts(moderator, '#site option')).toEqual(['All my sites', `${siteName} (${siteId})`]);
  expect(await moderator.getByRole('tab', { name: 'Staff' }).count()).toBe(0);
  await moderator.getByRole('tab', { name: 'Sites' }).click();
  await moderator.getByRole('heading', { name: 'Your sites' }).waitFor();
  expect(await moderator.locator('.site-card').evaluateAll((cards) => cards.map((el) => el.getAttribute('data-site')))).toEqual([siteId]);
  expect(await moderator.getByRole('button', { name: /Add a site|Change/ }).count()).toBe(0);
  await screenshots(moderator, 'console-moderator-sites');
  await moderator.locator('#site').selectOption(siteId);
  await moderator.getByRole('tab', { name: 'Reported' }).click();
  await moderator.getByText('No reported comments. Well done.').waitFor();
  await screenshots(moderator, 'console-moderator-queue');
});

it('queue shortcuts act only on a focused queue item, never while typing in a form or on a tab', async () => {
  const writer = await api.register('Rude Writer');
  const { comment } = await api.post(writer.token, 'council-vote', 'Rude words about the mayor, again.');
  await api.report((await api.register('Reporter')).token, comment.id, 'abuse');
  const admin = await signIn('admin@example.com', 'parley-demo');
  const item = admin.locator('article.item', { hasText: 'Rude words about the mayor, again.' });
  await item.waitFor();

  // r on the Reported tab button, then typing a site's name and an email full of queue keys.
  await admin.getByRole('tab', { name: 'Reported' }).focus();
  await admin.keyboard.press('r');
  await admin.getByRole('tab', { name: 'Sites' }).click();
  await admin.getByRole('button', { name: 'Add a site' }).click();
  await admin.getByLabel('Name').pressSequentially('Daily Record: jobs, bikes & x-words');
  await admin.getByRole('button', { name: 'Cancel' }).press('r');
  await admin.getByRole('tab', { name: 'Staff' }).click();
  await admin.getByLabel('Email').pressSequentially('rdbx@jk.example');
  await admin.getByRole('tab', { name: 'Reported' }).click();
  await item.waitFor();

  // Nothing happened to the comment; on the item itself the same kind of key acts.
  await item.getByText('1 report').waitFor();
  // Keys rest for half a second after a redraw (the console's guard against acting by accident).
  await admin.locator('#panel[data-keys="ready"]').waitFor();
  await item.focus();
  await admin.keyboard.press('d');
  await item.waitFor({ state: 'detached' });
});

it('an admin adds a sign-on key in the console, sees its secret once, and removes it after confirming', async () => {
  const admin = await signIn('admin@example.com', 'parley-demo');
  const kid = `console-${randomUUID().slice(0, 8)}`;
  await admin.getByRole('tab', { name: 'Sites' }).click();
  const card = admin.locator(`.site-card[data-site="${f.siteId}"]`);
  await card.getByRole('button', { name: /^Sign-on keys/ }).click();
  const panel = admin.getByRole('region', { name: /^Sign-on keys of/ });

  // A bad JWKS URL: the server's reason, nothing added.
  await panel.getByLabel('New key').selectOption('jwks');
  await panel.getByLabel('JWKS URL').fill('http://insecure.example/jwks.json');
  await panel.getByRole('button', { name: 'Add key' }).click();
  await panel.getByRole('status').getByText(/./).waitFor();
  expect(await panel.locator(`li[data-kid]`).count()).toBe(0);

  await panel.getByLabel('New key').selectOption('secret');
  await panel.getByLabel('Key id (kid)').fill(kid);
  await panel.getByRole('button', { name: 'Add key' }).click();
  const secretField = panel.getByLabel(`Secret of ${kid}`);
  await secretField.waitFor();
  const secret = await secretField.inputValue();
  expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  await panel.locator(`li[data-kid="${kid}"]`).waitFor();
  await screenshots(admin, 'console-admin-sso-keys');

  // The secret is good: a token the publisher signs with it opens a reader's session.
  const now = Math.floor(Date.now() / 1000);
  const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const input = `${encode({ alg: 'HS256', typ: 'JWT', kid })}.${encode({ sub: `reader-${kid}`, name: 'Keyed Reader', iat: now, exp: now + 300, jti: randomUUID() })}`;
  const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  const exchanged = await fetch(`${f.gatewayUrl}/auth/sso`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ site: f.siteId, token }) });
  expect(exchanged.status).toBe(200);

  // Opened again, the panel lists the key but never the secret.
  await panel.getByRole('button', { name: 'Close' }).click();
  await card.getByRole('button', { name: /^Sign-on keys/ }).click();
  await panel.locator(`li[data-kid="${kid}"]`).waitFor();
  expect(await panel.textContent()).not.toContain(secret);

  // Removing asks first; "Keep it" keeps it.
  const row = panel.locator(`li[data-kid="${kid}"]`);
  await row.getByRole('button', { name: new RegExp(`^Remove key ${kid}`) }).click();
  await row.getByRole('button', { name: 'Keep it' }).click();
  await row.getByRole('button', { name: new RegExp(`^Remove key ${kid}`) }).click();
  await row.getByRole('button', { name: `Remove ${kid}` }).click();
  await panel.getByRole('status').getByText(`Removed ${kid}.`).waitFor();
  expect(await panel.locator(`li[data-kid="${kid}"]`).count()).toBe(0);
  await admin.context().close();
});
