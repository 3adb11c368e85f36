import { randomUUID } from 'node:crypto';
import type { BrowserContext } from 'playwright-core';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * A logged-in reader gets the same shared (cached) page as everyone and, beside it, what only they
 * know: after a reload their like is still theirs, and another reader sees the count but no like.
 */
jest.setTimeout(60_000);

let f: BrowserFixture;
const contexts: BrowserContext[] = [];
beforeAll(async () => (f = await startBrowserFixture()));
afterAll(async () => {
  for (const context of contexts) await context.close();
  await f?.close();
});

async function openArticle(article: string) {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${f.demoUrl}/articles/${article}.html`);
  const widget = page.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();
  return { page, widget };
}

it('keeps a reader\'s like across a reload, and shows it to nobody else', async () => {
  const { page, widget } = await openArticle('council-vote');
  await widget.getByRole('button', { name: 'register' }).click();
  await widget.getByLabel('Email').fill(`liker-${randomUUID()}@example.com`);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByLabel('Display name').fill('Liker');
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByText('Signed in as Liker').waitFor();
  const text = `Liked by its own author ${randomUUID().slice(0, 6)}`;
  await widget.getByLabel('Your comment').fill(text);
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  const comment = widget.locator('article', { hasText: text });
  // The like is shown at once; the reload must wait until the server has it.
  const saved = page.waitForResponse((response) => response.url().endsWith('/reaction') && response.request().method() === 'PUT');
  await comment.getByRole('button', { name: 'Like (0)' }).click();
  expect((await saved).status()).toBe(200);
  await comment.getByRole('button', { name: 'Remove like (1)' }).waitFor();

  await page.reload();
  await widget.getByText('Signed in as Liker').waitFor();
  await widget.locator('article', { hasText: text }).getByRole('button', { name: 'Remove like (1)' }).waitFor();

  const other = await openArticle('council-vote');
  await other.widget.locator('article', { hasText: text }).getByRole('button', { name: 'Like (1)' }).waitFor();
});
