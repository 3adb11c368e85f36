import type { Page } from 'playwright-core';
import { findArticle, setArticleState, schema as commentsSchema } from '@parley/comments';
import type { CommentsDatabase } from '@parley/comments';
import { connect } from '@parley/db';
import { parleyApi } from './api';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/** What a reader of the demo news site notices: safety, isolation, keyboard, language, counts. */
jest.setTimeout(60_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;

beforeAll(async () => {
  f = await startBrowserFixture();
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

async function open(path: string, options: { width?: number } = {}): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.demoUrl}${path}`);
  return page;
}

/** The element that has focus, looking inside the widget's shadow root. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active) return '';
    return `${active.tagName.toLowerCase()}:${active.getAttribute('aria-label') ?? active.textContent?.trim() ?? ''}`;
  });
}

async function tabTo(page: Page, target: RegExp, maxPresses = 60): Promise<void> {
  for (let i = 0; i < maxPresses; i++) {
    if (target.test(await focused(page))) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${target} (stuck on ${await focused(page)})`);
}

it('renders hostile comment bodies as text and runs none of them; the host page CSS does not leak in', async () => {
  const article = 'river-festival';
  const mallory = await api.register('Mallory');
  const payloads = [
    '<script>window.__pwned = "script"</script>',
    '<img src=x onerror="window.__pwned = \'img\'">',
    '[click me](javascript:window.__pwned="link")',
    '<svg onload="window.__pwned = \'svg\'"></svg>',
    '"><iframe src="javascript:parent.__pwned=\'iframe\'"></iframe>',
    '<a href="https://example.com" onclick="window.__pwned=\'onclick\'">x</a>',
  ];
  for (const body of payloads) await api.post(mallory.token, article, body);

  const page = await open(`/articles/${article}.html`);
  const widget = page.locator('parley-comments');
  await widget.getByText('<script>window.__pwned = "script"</script>').waitFor();
  await widget.locator('article').nth(payloads.length - 1).scrollIntoViewIfNeeded();
  await widget.getByText('[click me](javascript:window.__pwned="link")').click();

  expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
  const dangerous = await widget.locator('script, img, svg[onload], iframe, [onerror], [onclick], a[href^="javascript"]').count();
  expect(dangerous).toBe(0);

  const styles = await widget.getByRole('button', { name: 'log in' }).evaluate((button) => {
    const style = getComputedStyle(button);
    return { textTransform: style.textTransform, background: style.backgroundColor };
  });
  expect(styles.textTransform).toBe('none');
  expect(styles.background).not.toBe('rgb(255, 105, 180)');
  const hostButton = await page.evaluate(() => {
    const probe = document.createElement('button');
    document.body.append(probe);
    return getComputedStyle(probe).textTransform;
  });
  expect(hostButton).toBe('uppercase');
  await screenshot(page, 'xss-rendered-as-text');
});

it('works from the keyboard alone: log in, post, reply', async () => {
  const reader = await api.register('Kira');
  const page = await open('/articles/council-vote.html');
  const widget = page.locator('parley-comments');
  await widget.getByRole('button', { name: 'log in' }).waitFor();

  await tabTo(page, /^button:log in$/);
  await page.keyboard.press('Enter');
  await page.keyboard.type(reader.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(reader.password);
  await page.keyboard.press('Enter');
  await widget.getByText('Signed in as Kira').waitFor();

  await tabTo(page, /^textarea:/);
  await page.keyboard.type('Typed without a mouse.');
  await page.keyboard.press('Control+Enter');
  const posted = widget.locator('article', { hasText: 'Typed without a mouse.' });
  await posted.locator('p').waitFor();

  await page.keyboard.press('Shift+Tab');
  await tabTo(page, /^button:Reply$/);
  await page.keyboard.press('Enter');
  expect(await focused(page)).toMatch(/^textarea:/);
  await page.keyboard.type('And a reply, also by keyboard.');
  await page.keyboard.press('Control+Enter');
  await widget.locator('p', { hasText: 'And a reply, also by keyboard.' }).waitFor();
  expect(await focused(page)).toBe('button:Reply');
  await screenshot(page, 'keyboard-only');
});

it('speaks Russian on a Russian page', async () => {
  const page = await open('/articles/council-vote.ru.html');
  const widget = page.locator('parley-comments');
  await widget.getByText('Чтобы принять участие в обсуждении,').waitFor();
  await widget.getByRole('button', { name: 'войдите' }).waitFor();
  await widget.getByRole('button', { name: 'зарегистрируйтесь' }).waitFor();
  expect(await widget.getByLabel('Сортировка').count()).toBeGreaterThan(0);
  await widget.getByText(/\d+ комментари(й|я|ев)/).first().waitFor();
  await screenshot(page, 'russian');
});

it('shows comment counts on the front page from one request', async () => {
  const writer = await api.register('Counter');
  const article = 'tram-line-extension';
  const first = await api.post(writer.token, article, 'One');
  await api.post(writer.token, article, 'Two', first.comment.id);
  await api.post(writer.token, article, 'Three');

  const context = await f.browser.newContext();
  const page = await context.newPage();
  const countRequests: string[] = [];
  page.on('request', (request) => request.url().includes('/counts?') && countRequests.push(request.url()));
  await page.goto(`${f.demoUrl}/`);
  const counted = page.locator(`[data-parley-count][data-article="${article}"]`).first();
  await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await counted.elementHandle());
  expect(await counted.textContent()).toMatch(/^\s*3 comments\s*$/);
  expect(countRequests).toHaveLength(1);
  await screenshot(page, 'front-page-counts');
});

it('shows a closed discussion read-only, with a notice', async () => {
  const writer = await api.register('Closer');
  await api.post(writer.token, 'river-festival', 'Said before the close.');
  const db = connect<CommentsDatabase>(f.database.source);
  try {
    const article = await findArticle(db.withSchema(commentsSchema), f.siteId, 'river-festival');
    await setArticleState(db.withSchema(commentsSchema), article!.id, 'closed');
  } finally {
    await db.destroy();
  }
  const page = await open('/articles/river-festival.html');
  const widget = page.locator('parley-comments');
  await widget.getByText('This discussion is closed. You can still read the comments.').waitFor();
  await widget.getByText('Said before the close.').waitFor();
  expect(await widget.locator('textarea').count()).toBe(0);
  expect(await widget.getByRole('button', { name: 'Reply' }).count()).toBe(0);
});
