import type { Page } from 'playwright-core';
import { connect } from '@parley/db';
import { schema as commentsSchema, type CommentsDatabase } from '@parley/comments';
import { staffAccessToken } from '../support/authenticators';
import { parleyApi } from './api';
import { screenshot } from './browser';
import { consoleSignIn } from './console-sign-in';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 13, the console half: the moderator console never loses work or acts by accident.
 * A live queue keeps an open form (its text and focus), keys are never shortcuts while a form is
 * open, a decision can be undone, the word lists load themselves and never overwrite a newer
 * save, an article-key typo creates nothing, and the header fits a phone.
 */
jest.setTimeout(90_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;

beforeAll(async () => {
  f = await startBrowserFixture();
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

async function signedIn(email = 'moderator@example.com', width = 1280): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(page, email, 'parley-demo', { database: f.database.source });
  await page.getByText('● Live').waitFor();
  return page;
}

/** What the moderation log and the comments say happened on this fixture's site. */
async function actionsOnSite(): Promise<string[]> {
  const db = connect<CommentsDatabase>(f.database.source).withSchema(commentsSchema);
  try {
    const rows = await db.selectFrom('moderation_actions').select('action').where('site_id', '=', f.siteId).orderBy('created_at').execute();
    return rows.map((row) => row.action);
  } finally {
    await db.destroy();
  }
}

async function reportedComment(article: string, body: string): Promise<string> {
  const author = await api.register('Author');
  const { comment } = await api.post(author.token, article, body);
  await api.report((await api.register('Reporter')).token, comment.id, 'abuse');
  return comment.id;
}

it('typing into the ban form while live reports arrive keeps the form, its text and focus, and no key acts on the queue', async () => {
  await reportedComment('council-vote', 'First reported remark.');
  await reportedComment('council-vote', 'Second reported remark.');
  const page = await signedIn();
  const first = page.locator('article.item', { hasText: 'First reported remark.' });
  await first.waitFor();
  await page.locator('#panel[data-keys="ready"]').waitFor();
  const before = await actionsOnSite();

  await first.focus();
  await page.keyboard.press('b');
  const reason = page.getByLabel('Reason', { exact: true });
  await reason.waitFor();
  await reason.fill('');
  // The keys that once dismissed and removed comments (d, r, a, x, j, b), typed as live reports arrive.
  const typed = 'Spams links; drove readers away, bad';
  const arrivals = (async () => {
    for (let i = 0; i < 3; i++) await reportedComment('river-festival', `Live report number ${i}.`);
  })();
  for (const char of typed) await page.keyboard.type(char, { delay: 15 });
  await arrivals;
  await page.locator('article.item', { hasText: 'Live report number 2.' }).waitFor();
  for (const char of ' and more') await page.keyboard.type(char);

  expect(await reason.inputValue()).toBe(`${typed} and more`);
  expect(await page.evaluate(() => document.activeElement?.id)).toMatch(/^ban-reason-/);
  expect(await first.locator('form.ban').count()).toBe(1);
  // Nothing was decided: no log entry, and both first comments are still in the queue.
  expect(await actionsOnSite()).toEqual(before);
  await page.locator('article.item', { hasText: 'Second reported remark.' }).waitFor();
  await screenshot(page, 'console-form-kept-during-live-updates');

  // Escape closes the form and gives focus back to its item: keys work again, on that item.
  await page.keyboard.press('Escape');
  expect(await first.locator('form.ban').count()).toBe(0);
  expect(await page.evaluate(() => document.activeElement?.closest('article.item')?.textContent)).toContain('First reported remark.');
});

it('a removal can be undone for 10 s: the comment is back in the queue with its report', async () => {
  await reportedComment('council-vote', 'Removed by accident, then undone.');
  const page = await signedIn();
  const item = page.locator('article.item', { hasText: 'Removed by accident, then undone.' });
  await item.getByRole('button', { name: 'Remove' }).click();
  const undoBar = page.locator('#undo');
  await undoBar.getByText(/Removed the comment by Author/).waitFor();
  await item.waitFor({ state: 'detached' });
  await screenshot(page, 'console-undo-offered');
  await undoBar.getByRole('button', { name: 'Undo' }).click();
  await undoBar.getByText('Undone.').waitFor();
  await item.waitFor();
  await item.getByText('1 report').waitFor();
  expect((await actionsOnSite()).slice(-2)).toEqual(['comment.remove', 'comment.undo']);
});

it('the word lists load by themselves, and a save after someone else\'s is refused instead of erasing their words', async () => {
  const page = await signedIn('admin@example.com');
  await page.getByRole('tab', { name: 'Articles & bans' }).click();
  await page.getByRole('status').filter({ hasText: `The lists of ${f.siteId}` }).waitFor();

  // Another admin saves while this page has the lists open.
  const token = await staffAccessToken(f.gatewayUrl, f.database.source, 'admin@example.com');
  const saved = await fetch(`${f.gatewayUrl}/api/moderation/sites/${f.siteId}/word-lists`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ banned: ['rascal'], suspect: [], version: 0 }),
  });
  expect(saved.status).toBe(200);

  await page.getByLabel('Banned (refused)').fill('scoundrel');
  await page.getByRole('button', { name: 'Save word lists' }).click();
  await page.getByText('Someone saved these lists after you loaded them; nothing was changed.', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Reload' }).click();
  await page.waitForFunction(() => (document.getElementById('words-banned') as HTMLTextAreaElement | null)?.value === 'rascal');

  // A console opened afresh shows the lists without pressing anything, so saving keeps them.
  const fresh = await signedIn('admin@example.com');
  await fresh.getByRole('tab', { name: 'Articles & bans' }).click();
  await fresh.waitForFunction(() => (document.getElementById('words-banned') as HTMLTextAreaElement | null)?.value === 'rascal');
  await fresh.getByLabel('Banned (refused)').fill('rascal\nscoundrel');
  await fresh.getByRole('button', { name: 'Save word lists' }).click();
  await fresh.getByText('Saved. New and edited comments are checked against these lists.').waitFor();
});

it('a typo in the article controls is refused and creates no article; closing asks first', async () => {
  const author = await api.register('Voter');
  await api.post(author.token, 'council-vote', 'The vote was close.');
  const page = await signedIn();
  await page.getByRole('tab', { name: 'Articles & bans' }).click();
  await page.getByLabel('Article', { exact: true }).fill('councl-vote');
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Close discussion' }).click();
  await page.getByText('Nothing changed: there is no article "councl-vote"', { exact: false }).waitFor();
  const db = connect<CommentsDatabase>(f.database.source).withSchema(commentsSchema);
  try {
    expect(await db.selectFrom('articles').select('key').where('site_id', '=', f.siteId).where('key', '=', 'councl-vote').execute()).toEqual([]);
  } finally {
    await db.destroy();
  }

  // Cancelling the confirmation changes nothing either; accepting it closes the real article.
  await page.getByLabel('Article', { exact: true }).fill('council-vote');
  page.once('dialog', (dialog) => void dialog.dismiss());
  await page.getByRole('button', { name: 'Close discussion' }).click();
  expect(await page.getByText('Saved:').count()).toBe(0);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Close discussion' }).click();
  await page.getByText('Saved: council-vote closed.').waitFor();
  await page.getByRole('button', { name: 'Reopen' }).click();
  await page.getByText('Saved: council-vote open.').waitFor();
});

it('fits a 375 px phone: nothing overflows sideways and Log out is on screen', async () => {
  await reportedComment('council-vote', 'Seen on a phone.');
  const page = await signedIn('admin@example.com', 375);
  await page.locator('article.item').first().waitFor();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBe(0);
  const logout = await page.getByRole('button', { name: 'Log out' }).boundingBox();
  expect(logout!.x).toBeGreaterThanOrEqual(0);
  expect(logout!.x + logout!.width).toBeLessThanOrEqual(375);
  await page.screenshot({ path: '/tmp/console-375.png', fullPage: true });
  const wide = await signedIn('admin@example.com', 1280);
  await wide.locator('article.item').first().waitFor();
  await wide.screenshot({ path: '/tmp/console-1280.png', fullPage: true });
  for (const tab of ['Log', 'Articles & bans']) {
    await page.getByRole('tab', { name: tab }).click();
    await page.waitForLoadState('networkidle');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  }
  await page.screenshot({ path: '/tmp/console-375-controls.png', fullPage: true });
});
