import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Two readers on the demo news site's article, in two browser contexts (two people, two
 * sessions), as they would use the discussion: one posts, the other sees it live and replies,
 * the first edits and deletes, the other sees both.
 */
jest.setTimeout(60_000);

let f: BrowserFixture;
const contexts: BrowserContext[] = [];

beforeAll(async () => (f = await startBrowserFixture()));
afterAll(async () => {
  for (const context of contexts) await context.close();
  await f?.close();
});

async function openArticle(): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  await page.locator('parley-comments').scrollIntoViewIfNeeded();
  return page;
}

async function register(page: Page, name: string): Promise<void> {
  const widget = page.locator('parley-comments');
  await widget.getByRole('button', { name: 'register' }).click();
  await widget.getByLabel('Email').fill(`${name.toLowerCase()}-${randomUUID()}@example.com`);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByLabel('Display name').fill(name);
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByText(`Signed in as ${name}`).waitFor();
}

it('a comment posted by one reader reaches another live; reply, edit and delete follow', async () => {
  const alice = await openArticle();
  const bob = await openArticle();
  await register(alice, 'Alice');
  await register(bob, 'Bob');
  const aliceWidget = alice.locator('parley-comments');
  const bobWidget = bob.locator('parley-comments');

  const text = `The vote on the warehouses was closer than it looked ${randomUUID().slice(0, 6)}`;
  await aliceWidget.getByLabel('Your comment').fill(text);
  await aliceWidget.getByRole('button', { name: 'Post', exact: true }).click();
  // The optimistic copy gives way to the server's rendering, and the comment is there once.
  await aliceWidget.locator('p', { hasText: text }).waitFor();
  await waitForCount(aliceWidget.getByText(text), 1);

  // Bob's view doesn't jump: the new top-level comment waits behind a button.
  await bobWidget.getByRole('button', { name: /Show 1 new comment/ }).click();
  await bobWidget.getByText(text).waitFor();
  await screenshot(bob, 'live-bob-sees-alice');

  const aliceComment = bobWidget.locator('article', { hasText: text }).first();
  await aliceComment.getByRole('button', { name: 'Reply' }).click();
  await bobWidget.getByLabel('Your reply').fill('Seven to six, to be exact.');
  await bobWidget.getByRole('button', { name: 'Reply', exact: true }).last().click();

  // Alice sees Bob's reply appear inside her thread.
  await aliceWidget.getByText('Seven to six, to be exact.').waitFor();
  await screenshot(alice, 'live-alice-sees-reply');

  const mine = aliceWidget.locator('article', { hasText: text }).first();
  await mine.getByRole('button', { name: 'Edit' }).first().click();
  await aliceWidget.getByLabel('Edit your comment').fill(`${text} (corrected)`);
  await aliceWidget.getByRole('button', { name: 'Save' }).click();
  await bobWidget.getByText(`${text} (corrected)`).waitFor();
  await bobWidget.getByText('edited').first().waitFor();

  await mine.getByRole('button', { name: 'Delete' }).first().click();
  await aliceWidget.getByRole('button', { name: 'Delete' }).last().click();
  await bobWidget.getByText('Comment deleted').waitFor();
  await expectHidden(bobWidget.getByText(`${text} (corrected)`));
  // The reply keeps its place under the tombstone.
  await bobWidget.getByText('Seven to six, to be exact.').waitFor();
  await screenshot(bob, 'live-bob-sees-tombstone');
});

/** Waits (up to 5 s) until the locator matches exactly `n` elements, then asserts it. */
async function waitForCount(locator: ReturnType<Page['locator']>, n: number): Promise<void> {
  const deadline = Date.now() + 5000;
  while ((await locator.count()) !== n && Date.now() < deadline) await locator.page().waitForTimeout(50);
  expect(await locator.count()).toBe(n);
}

async function expectHidden(locator: ReturnType<Page['locator']>): Promise<void> {
  await locator.waitFor({ state: 'detached', timeout: 5000 });
}
