import { randomUUID } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { staffAccessToken } from '../support/authenticators';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 16, "My account … my comments": a reader's own comments on the site, newest first, ten
 * at a time, each a link that opens the comment in place.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
const contexts: BrowserContext[] = [];
beforeAll(async () => (f = await startBrowserFixture()));
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});
afterAll(async () => f?.close());

it('lists my comments newest first, pages with More, and a click opens the comment in place', async () => {
  const article = 'council-vote';
  const articleUrl = `${f.demoUrl}/articles/${article}.html`;
  // Ten earlier comments of the reader's, through the API as any client would post them.
  const email = `mina-${randomUUID()}@example.com`;
  const password = 'correct horse battery';
  const registered = await fetch(`${f.gatewayUrl}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password, displayName: 'Mina' }),
  });
  const { accessToken } = (await registered.json()) as { accessToken: string };
  const earlier: string[] = [];
  for (let i = 1; i <= 10; i += 1) {
    const posted = await fetch(`${f.gatewayUrl}/api/sites/${f.siteId}/articles/${article}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ body: `Earlier thought number ${i}`, title: 'Council votes on the harbour plan', url: articleUrl }),
    });
    expect(posted.status).toBe(201);
    earlier.push(((await posted.json()) as { comment: { id: string } }).comment.id);
  }
  // A moderator removes the tenth, with a reason; the reader deletes the ninth.
  const moderator = await staffAccessToken(f.gatewayUrl, f.database.source, 'moderator@example.com');
  const removed = await fetch(`${f.gatewayUrl}/api/moderation/comments/${earlier[9]}/remove`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${moderator}` },
    body: JSON.stringify({ reason: 'Off topic: keep to the harbour plan' }),
  });
  expect(removed.status).toBe(200);
  const deleted = await fetch(`${f.gatewayUrl}/api/comments/${earlier[8]}`, { method: 'DELETE', headers: { authorization: `Bearer ${accessToken}` } });
  expect(deleted.status).toBe(204);

  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(articleUrl);
  const widget = page.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill(password);
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByText('Signed in as Mina').waitFor();

  // Two more, in the widget.
  const first = `Will the ferry stop at the old pier? ${randomUUID().slice(0, 6)}`;
  const second = `And what about the night buses? ${randomUUID().slice(0, 6)}`;
  for (const text of [first, second]) {
    await widget.getByLabel('Your comment').fill(text);
    await widget.getByRole('button', { name: 'Post', exact: true }).click();
    await widget.locator('article', { hasText: text }).locator('.c-text:not(.plain)').first().waitFor();
  }

  await widget.getByRole('button', { name: 'My account' }).click();
  await widget.getByRole('heading', { name: 'My comments on this site' }).waitFor();
  const items = widget.locator('ol.my-comments > li');
  await items.nth(9).waitFor();
  expect(await items.count()).toBe(10);
  // Newest first: the two just posted, then the earlier ones from the tenth down.
  await expect(items.nth(0).textContent()).resolves.toContain(second);
  await expect(items.nth(1).textContent()).resolves.toContain(first);
  // Its state in words when not published, and nothing of a tombstone's text.
  expect(await items.nth(2).locator('p').allTextContents()).toEqual(['Removed by a moderator: Off topic: keep to the harbour plan']);
  expect(await items.nth(3).locator('p').allTextContents()).toEqual(['Comment deleted']);
  await expect(items.nth(4).textContent()).resolves.toContain('Earlier thought number 8');
  expect(await items.nth(0).getByRole('link').textContent()).toBe('Council votes on the harbour plan');
  expect(await items.nth(0).locator('time').textContent()).toBe('just now');
  await screenshot(page, 'my-comments');

  // "More": the rest, and no more button after the last page.
  const more = widget.locator('.account-panel').getByRole('button', { name: 'Load more comments' });
  await more.click();
  await items.nth(11).waitFor();
  expect(await items.count()).toBe(12);
  await expect(items.nth(11).textContent()).resolves.toContain('Earlier thought number 1');
  await more.waitFor({ state: 'hidden' });

  // A click on the first one's article opens it here, through its permalink.
  const target = widget.locator('article', { hasText: first }).first();
  const id = await target.getAttribute('data-id');
  await items.nth(1).getByRole('link').click();
  await page.waitForFunction((expected) => location.hash === expected, `#comment-${id}`);
  await page.waitForFunction((commentId) => document.querySelector('parley-comments')!.shadowRoot!.activeElement?.getAttribute('data-id') === commentId, id);
  expect(await target.getAttribute('class')).toContain('target');
  expect(page.url()).toBe(`${articleUrl}#comment-${id}`);
});
