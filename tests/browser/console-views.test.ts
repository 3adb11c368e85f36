import { staffAccessToken } from '../support/authenticators';
import { parleyApi } from './api';
import { consoleSignIn } from './console-sign-in';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 13, the console's lists: the queue pages on past the first 50 with its total, search and
 * the article filter narrow it, and removed comments have a view with Restore.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;

beforeAll(async () => {
  // One reader reports 55 comments here; the limit is not what this test is about.
  f = await startBrowserFixture({ REPORT_RATE_LIMIT: '1000' });
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

it('pages the reported queue past 50 with the total, filters it, and restores a removed comment from the Removed view', async () => {
  const author = await api.register('Prolific');
  const reporter = await api.register('Watcher');
  for (let i = 0; i < 55; i++) {
    const { comment } = await api.post(author.token, i < 50 ? 'council-vote' : 'river-festival', `Reported remark number ${i}${i === 7 ? ' about parking' : ''}.`);
    await api.report(reporter.token, comment.id, 'spam');
  }
  // The site's removal reasons, as its admin set them.
  const admin = await staffAccessToken(f.gatewayUrl, f.database.source, 'admin@example.com');
  const patched = await fetch(`${f.gatewayUrl}/api/admin/sites/${f.siteId}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ settings: { removalReasons: ['Personal attack', 'Spam'] } }),
  });
  expect(patched.status).toBe(200);
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(page, 'moderator@example.com', 'parley-demo', { database: f.database.source });
  await page.getByText('● Live').waitFor();

  await page.getByText('55 in the queue · showing 50 · 0 selected').waitFor();
  expect(await page.locator('article.item').count()).toBe(50);
  await page.getByRole('button', { name: 'Show more (5 left)' }).click();
  await page.getByText('55 in the queue · 0 selected').waitFor();
  expect(await page.locator('article.item').count()).toBe(55);

  await page.getByLabel('Search').fill('parking');
  await page.getByText('1 in the queue · 0 selected').waitFor();
  await page.locator('article.item', { hasText: 'Reported remark number 7 about parking.' }).waitFor();
  await page.getByLabel('Search').fill('');
  await page.getByLabel('In article').fill('river-festival');
  await page.getByText('5 in the queue · 0 selected').waitFor();

  const item = page.locator('article.item', { hasText: 'Reported remark number 52.' });
  await page.getByLabel('Removal reason').selectOption('Spam');
  await page.getByLabel('Note to the reason').fill('links to a watch shop');
  await item.getByRole('button', { name: 'Remove' }).click();
  await page.getByText('4 in the queue · 0 selected').waitFor();

  await page.getByRole('tab', { name: 'Removed' }).click();
  const removed = page.locator('article.item', { hasText: 'Reported remark number 52.' });
  await removed.getByRole('button', { name: 'Restore' }).click();
  await page.getByText('No removed comments.').or(page.getByText('Nothing matches these filters.')).waitFor();
  const thread = await (await fetch(`${f.gatewayUrl}/api/sites/${f.siteId}/articles/river-festival/comments?limit=50`)).json();
  expect((thread as { comments: { body: string; status: string }[] }).comments).toContainEqual(
    expect.objectContaining({ body: 'Reported remark number 52.', status: 'published' }),
  );

  // The log in words, with names and the article.
  await page.getByRole('tab', { name: 'Log' }).click();
  const log = page.getByRole('list', { name: 'Moderation log' });
  await log.getByText(/Demo Moderator restored a comment by Prolific on “.+”/).first().waitFor();
  await log.getByText(/Demo Moderator removed a comment by Prolific on “.+”: Spam: links to a watch shop/).first().waitFor();

  // A ban from the queue, then the bans list: who, why, who banned them, until when; Unban says so.
  await page.getByRole('tab', { name: 'Reported' }).click();
  const queued = page.locator('article.item').first();
  await queued.getByRole('button', { name: 'Ban author…' }).click();
  await page.getByLabel('Reason', { exact: true }).fill('Floods the council thread');
  await page.getByRole('button', { name: 'Ban Prolific' }).click();
  await queued.getByText('banned', { exact: true }).waitFor();
  await page.getByRole('tab', { name: 'Articles & bans' }).click();
  await page.getByRole('button', { name: 'Show bans for this site' }).click();
  const row = page.getByRole('row', { name: /Prolific/ });
  await row.getByText('Floods the council thread').waitFor();
  await row.getByText('Demo Moderator').waitFor();
  await row.getByRole('button', { name: 'Unban' }).click();
  await page.getByText(`Prolific is no longer banned on ${f.siteId}.`).waitFor();
  await page.getByRole('tab', { name: 'Log' }).click();
  await log.getByText('Demo Moderator lifted the ban of Prolific').waitFor();
  await log.getByText(/Demo Moderator banned Prolific until .+: Floods the council thread/).waitFor();
  await context.close();
});

it('lists the site\'s articles with state, counts and last activity; closing one asks first', async () => {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(page, 'moderator@example.com', 'parley-demo', { database: f.database.source });
  await page.getByRole('tab', { name: 'Articles & bans' }).click();
  const articles = page.getByRole('table', { name: 'Articles' });
  const row = articles.getByRole('row').filter({ hasText: 'river-festival' });
  await row.waitFor();
  // 5 comments on it, 4 of them reported (one was removed and restored, its reports resolved).
  expect(await row.getByRole('cell').allTextContents()).toEqual([expect.stringContaining('river-festival'), 'Open', '5', '0', '4', expect.stringMatching(/\d/), 'Close…']);

  page.once('dialog', (dialog) => void dialog.dismiss());
  await row.getByRole('button', { name: 'Close…' }).click();
  await row.getByRole('button', { name: 'Close…' }).waitFor();
  page.once('dialog', (dialog) => void dialog.accept());
  await row.getByRole('button', { name: 'Close…' }).click();
  await page.getByText(/is closed\./).waitFor();
  await row.getByRole('button', { name: 'Reopen' }).waitFor();
  await page.getByLabel('Show').selectOption('closed');
  await articles.getByRole('row').filter({ hasText: 'council-vote' }).waitFor({ state: 'detached' });
  expect(await articles.getByRole('row').filter({ hasText: 'river-festival' }).count()).toBe(1);
  await row.getByRole('button', { name: 'Reopen' }).click();
  await page.getByText(/is open again\./).waitFor();
  await context.close();
});

it('a name opens the person\'s history: comments, bans, what moderators did, and notes others see', async () => {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(page, 'moderator@example.com', 'parley-demo', { database: f.database.source });
  await page.locator('article.item').first().getByRole('button', { name: 'Prolific' }).click();
  const dialog = page.getByRole('dialog', { name: 'About Prolific' });
  await dialog.getByRole('list', { name: 'Recent comments' }).getByText('Reported remark number 54.').waitFor();
  await dialog.getByText('Not banned on the sites you see.').waitFor();
  const actions = dialog.getByRole('list', { name: 'Actions' });
  await actions.getByText('Demo Moderator lifted the ban of Prolific').waitFor();
  await actions.getByText(/Demo Moderator restored a comment by Prolific/).waitFor();

  await dialog.getByLabel(`A note for the moderators of ${f.siteId}`).fill('Posts in bursts; warn before banning.');
  await dialog.getByRole('button', { name: 'Add note' }).click();
  await dialog.getByText('Note added.').waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();

  // Another moderator's console (here: the admin's) shows the note.
  const other = await (await f.browser.newContext({ viewport: { width: 375, height: 800 } })).newPage();
  await other.goto(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(other, 'admin@example.com', 'parley-demo', { database: f.database.source });
  await other.locator('article.item').first().getByRole('button', { name: 'Prolific' }).click();
  const seen = other.getByRole('dialog', { name: 'About Prolific' });
  await seen.getByRole('list', { name: 'Notes' }).getByText('Demo Moderator noted about Prolific: Posts in bursts; warn before banning.').waitFor();
  expect(await other.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
  await other.screenshot({ path: '/tmp/console-375-person.png' });
  await other.context().close();
  await context.close();
});
