import type { Page } from 'playwright-core';
import { parleyApi } from './api';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { consoleSignIn } from './console-sign-in';

/**
 * A moderator at /moderate on the Parley origin and a reader on the publisher's article page:
 * a report shows up in the queue without a reload, the moderator removes the comment with the
 * keyboard, and the reader's widget shows the tombstone live.
 */
jest.setTimeout(60_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;

beforeAll(async () => {
  f = await startBrowserFixture();
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

async function newPage(url: string): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

it('a reported comment is removed from the queue with the keyboard and the reader sees the tombstone live', async () => {
  const troll = await api.register('Troll');
  const neighbour = await api.register('Neighbour');
  const { comment } = await api.post(troll.token, 'council-vote', 'Everyone on the council is a crook and an idiot.');

  const reader = await newPage(`${f.demoUrl}/articles/council-vote.html`);
  const widget = reader.locator('parley-comments');
  await widget.getByText('Everyone on the council is a crook and an idiot.').waitFor();

  const console = await newPage(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(console, 'moderator@example.com', 'parley-demo', { database: f.database.source });
  await console.getByText('No reported comments. Well done.').waitFor();
  await console.getByText('● Live').waitFor();

  // The report arrives while the moderator watches: the queue updates without a reload.
  await api.report(neighbour.token, comment.id, 'abuse');
  const item = console.locator('article.item', { hasText: 'Everyone on the council is a crook and an idiot.' });
  await item.waitFor();
  await item.getByText('1 report').waitFor();
  await screenshot(console, 'console-reported-queue');

  await console.locator('#panel[data-keys="ready"]').waitFor();
  await item.focus();
  await console.keyboard.press('r');
  await console.getByText('No reported comments. Well done.').waitFor();
  await console.getByText('● Live').waitFor();

  await widget.getByText('Removed by a moderator').waitFor();
  await widget.getByText('Everyone on the council is a crook and an idiot.').waitFor({ state: 'detached' });
  await screenshot(reader, 'reader-sees-removal');

  await console.getByRole('tab', { name: 'Log' }).click();
  await console.getByRole('list', { name: 'Moderation log' }).getByText(/removed a comment by Troll on/).first().waitFor();
  await screenshot(console, 'console-log');
});

it('a ban from the console reaches the banned reader at once: no comment box, and the API refuses', async () => {
  const troll = await api.register('Heckler');
  await api.post(troll.token, 'river-festival', 'The festival is a waste of money and so are you.');

  const trollPage = await newPage(`${f.demoUrl}/articles/river-festival.html`);
  const widget = trollPage.locator('parley-comments');
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByLabel('Email').fill(troll.email);
  await widget.getByLabel('Password').fill(troll.password);
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByLabel('Your comment').waitFor();

  const console = await newPage(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(console, 'moderator@example.com', 'parley-demo', { database: f.database.source });
  await console.getByText('● Live').waitFor();
  await api.report((await api.register('Witness')).token, (await firstCommentId(trollPage))!, 'abuse');
  const item = console.locator('article.item', { hasText: 'The festival is a waste of money' });
  await item.waitFor();
  await console.locator('#panel[data-keys="ready"]').waitFor();
  await item.focus();
  await console.keyboard.press('b');
  await console.getByRole('button', { name: 'Ban Heckler' }).click();

  await widget.getByText('You are banned from commenting on this site.').waitFor();
  expect(await widget.getByLabel('Your comment').count()).toBe(0);
  expect(await widget.getByRole('button', { name: 'Reply' }).count()).toBe(0);
  expect(await widget.getByRole('button', { name: 'Edit' }).count()).toBe(0);
  await expect(api.post(troll.token, 'river-festival', 'Let me back in')).rejects.toThrow(/403.*banned/);
  await screenshot(trollPage, 'banned-reader');
});

async function firstCommentId(page: Page): Promise<string | undefined> {
  const response = await page.request.get(`${f.gatewayUrl}/api/sites/${f.siteId}/articles/river-festival/comments`);
  return ((await response.json()) as { comments: { id: string }[] }).comments[0]?.id;
}

it('an admin edits the word lists in the console; banned words are then refused, evasions and Russian endings included', async () => {
  const console = await newPage(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(console, 'admin@example.com', 'parley-demo', { database: f.database.source });
  await console.getByText('● Live').waitFor();
  await console.getByRole('tab', { name: 'Articles & bans' }).click();
  await console.getByLabel('Site').last().fill(f.siteId);
  await console.getByLabel('Banned (refused)').fill('scoundrel\nнегодяй*');
  await console.getByRole('button', { name: 'Save word lists' }).click();
  await console.getByText('Saved. New and edited comments are checked against these lists.').waitFor();

  const writer = await api.register('Writer');
  await expect(api.post(writer.token, 'council-vote', 'What a s-c-o-u-n-d-r-e-l.')).rejects.toThrow(/422.*banned_word/);
  await expect(api.post(writer.token, 'council-vote', 'Они негодяи!')).rejects.toThrow(/422.*banned_word/);
  await api.post(writer.token, 'council-vote', 'A perfectly civil remark.');
});
