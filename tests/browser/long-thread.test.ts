import type { Page } from 'playwright-core';
import { parleyApi } from './api';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/** A busy article: hundreds of comments, read a page at a time, in each sort order. */
jest.setTimeout(90_000);

const total = 240;
let f: BrowserFixture;
let page: Page;
const ids: string[] = [];

beforeAll(async () => {
  f = await startBrowserFixture();
  const api = parleyApi(f.gatewayUrl, f.siteId);
  const writers = await Promise.all([api.register('Ann'), api.register('Ben'), api.register('Cat')]);
  for (let i = 0; i < total; i++) {
    const { comment } = await api.post(writers[i % writers.length]!.token, 'council-vote', `Comment number ${i + 1}`);
    ids.push(comment.id);
  }
  // Two readers like comment 17, one likes comment 200: the "top" order is 17, 200, then newest.
  for (const writer of writers.slice(0, 2)) await api.react(writer.token, ids[16]!);
  await api.react(writers[2]!.token, ids[199]!);

  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
});
afterAll(async () => f?.close());

const bodies = () => page.locator('parley-comments').locator('article p').allTextContents();

it('shows the count and the newest page first, and loads more on request', async () => {
  const widget = page.locator('parley-comments');
  await widget.getByText(`${total} comments`).waitFor();
  await widget.getByText(`Comment number ${total}`, { exact: true }).waitFor();
  const first = await bodies();
  expect(first).toHaveLength(20);
  expect(first[0]).toBe(`Comment number ${total}`);

  await widget.getByRole('button', { name: 'Load more comments' }).click();
  await widget.getByText(`Comment number ${total - 39}`, { exact: true }).waitFor();
  await widget.getByRole('button', { name: 'Load more comments' }).click();
  await widget.getByText(`Comment number ${total - 59}`, { exact: true }).waitFor();
  const three = await bodies();
  expect(three).toHaveLength(60);
  expect(three).toEqual(Array.from({ length: 60 }, (_, i) => `Comment number ${total - i}`));
  await screenshot(page, 'long-thread-newest');
});

it('switches to oldest first and to most liked', async () => {
  const widget = page.locator('parley-comments');
  await widget.getByLabel('Sort by').selectOption('oldest');
  await widget.getByText('Comment number 1', { exact: true }).waitFor();
  expect((await bodies()).slice(0, 3)).toEqual(['Comment number 1', 'Comment number 2', 'Comment number 3']);

  await widget.getByLabel('Sort by').selectOption('top');
  await widget.locator('article p').first().filter({ hasText: 'Comment number 17' }).waitFor();
  expect((await bodies()).slice(0, 3)).toEqual(['Comment number 17', 'Comment number 200', `Comment number ${total}`]);
  await screenshot(page, 'long-thread-top');
});
