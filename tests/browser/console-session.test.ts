import { parleyApi } from './api';
import { consoleSignIn } from './console-sign-in';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 13: when the console's access token lapses the server drops the socket from the
 * moderation room (`session:expired`). The console renews the session, rejoins and keeps
 * receiving queue changes; its badge never says "● Live" while it isn't. Tokens here last the
 * shortest the auth service allows (30 s), so the test waits for one expiry.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;

beforeAll(async () => {
  f = await startBrowserFixture({ ACCESS_TOKEN_TTL_SECONDS: '30' });
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

it('after session:expired the console renews, rejoins the room and a new report still arrives live', async () => {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(page, 'moderator@example.com', 'parley-demo', { database: f.database.source });
  await page.getByText('● Live').waitFor();
  // Every text the badge shows, in order.
  await page.evaluate(() => {
    const badge = document.getElementById('live')!;
    const seen: string[] = [];
    (window as unknown as { badgeTexts: string[] }).badgeTexts = seen;
    new MutationObserver(() => seen.push(badge.textContent ?? '')).observe(badge, { childList: true, characterData: true, subtree: true });
  });

  await page.waitForFunction(() => (window as unknown as { badgeTexts: string[] }).badgeTexts.some((text) => text.startsWith('Not live: renewing')), null, {
    timeout: 60_000,
  });
  await page.getByText('● Live').waitFor();

  const author = await api.register('Late Troll');
  const { comment } = await api.post(author.token, 'council-vote', 'Posted after the token lapsed.');
  await api.report((await api.register('Late Reporter')).token, comment.id, 'abuse');
  await page.locator('article.item', { hasText: 'Posted after the token lapsed.' }).waitFor();
  await context.close();
});
