import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { schema as commentsSchema } from '@parley/comments';
import type { CommentsDatabase } from '@parley/comments';
import { connect } from '@parley/db';
import { sql } from 'kysely';
import { parleyApi } from './api';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { staffAccessToken } from '../support/authenticators';

/**
 * Issue 13, the widget half: the widget never loses a reader's work and never misleads them —
 * a ban survives a reload and says why and until when, buttons that could only fail are not
 * offered, errors are the widget's own words in the page's language, the theme is the page's.
 */
jest.setTimeout(90_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;
let moderatorToken: string;
const contexts: BrowserContext[] = [];
const servers: Server[] = [];

beforeAll(async () => {
  // Our own publisher pages' origin is added below; the gateway looks for new origins every second.
  f = await startBrowserFixture({ ALLOWED_ORIGINS_REFRESH_SECONDS: '1' });
  api = parleyApi(f.gatewayUrl, f.siteId);
  moderatorToken = await staffAccessToken(f.gatewayUrl, f.database.source, 'moderator@example.com');
});
afterAll(async () => {
  for (const context of contexts) await context.close();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await f?.close();
});

async function open(url: string, options: { width?: number; colorScheme?: 'dark' | 'light' } = {}): Promise<{ page: Page; widget: Locator }> {
  const context = await f.browser.newContext({ viewport: { width: options.width ?? 1280, height: 900 }, colorScheme: options.colorScheme ?? 'light' });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  const widget = page.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();
  return { page, widget };
}

/** Publisher pages of our own, on two more origins: one the site allows, one it does not. */
async function pageServer(): Promise<string> {
  const server = createServer((req, res) => {
    const attributes = new URL(req.url ?? '/', 'http://x').searchParams.get('a') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><title>Own page</title><script src="${f.gatewayUrl}/embed.js" async></script></head>
<body style="background:#fff;margin:40px"><h1>A story</h1><parley-comments site="${f.siteId}" ${attributes}></parley-comments></body></html>`);
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

let allowedOrigin = '';
let refusedOrigin = '';
const ownPage = (attributes: string, origin = allowedOrigin) => `${origin}/?a=${encodeURIComponent(attributes)}`;

beforeAll(async () => {
  [allowedOrigin, refusedOrigin] = [await pageServer(), await pageServer()];
  await withDb((db) =>
    db
      .updateTable('sites')
      .set((eb) => ({ allowed_origins: sql<string[]>`array_append(${eb.ref('allowed_origins')}, ${allowedOrigin})` }))
      .where('id', '=', f.siteId)
      .execute(),
  );
  // The gateway learns the new origin on its next allowed-origins refresh: wait until its preflight says so.
  for (let attempt = 0; attempt < 50; attempt++) {
    const preflight = await fetch(`${f.gatewayUrl}/api/sites/${f.siteId}/articles/x/comments`, {
      method: 'OPTIONS',
      headers: { origin: allowedOrigin, 'access-control-request-method': 'POST' },
    });
    if (preflight.status === 204) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

async function withDb<T>(run: (db: ReturnType<typeof connect<CommentsDatabase>>) => Promise<T>): Promise<T> {
  const db = connect<CommentsDatabase>(f.database.source);
  try {
    return await run(db.withSchema(commentsSchema));
  } finally {
    await db.destroy();
  }
}

async function registerInWidget(widget: Locator, name: string): Promise<void> {
  await widget.getByRole('button', { name: 'register' }).click();
  await widget.getByLabel('Email').fill(`${name.toLowerCase()}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByLabel('Display name').fill(name);
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByText(`Signed in as ${name}`).waitFor();
}

/** A reader registered through the API, then logged in through the widget; returns their id. */
async function logInAs(widget: Locator, name: string): Promise<string> {
  const account = await api.register(name);
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByLabel('Email').fill(account.email);
  await widget.getByLabel('Password').fill(account.password);
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByText(`Signed in as ${name}`).waitFor();
  return (JSON.parse(Buffer.from(account.token.split('.')[1]!, 'base64url').toString()) as { sub: string }).sub;
}

async function moderate(method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${f.gatewayUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${moderatorToken}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
}

it('a ban says why and until when, keeps the draft, survives a reload, and lifts cleanly', async () => {
  const { page, widget } = await open(`${f.demoUrl}/articles/council-vote.html`);
  const userId = await logInAs(widget, 'Brash');
  const text = `Before the ban ${Date.now()}`;
  await widget.getByLabel('Your comment').fill(text);
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  const own = widget.locator('article', { hasText: text });
  await own.getByRole('button', { name: 'Edit' }).waitFor();
  const draft = 'A draft I am still writing';
  await widget.getByLabel('Your comment').fill(draft);

  const until = new Date(Date.now() + 3 * 86_400_000).toISOString();
  await moderate('POST', `/api/moderation/users/${userId}/ban`, { site: f.siteId, reason: 'Repeated personal attacks', until });

  const notice = widget.getByRole('alert').filter({ hasText: 'You are banned from commenting on this site.' });
  await notice.filter({ hasText: 'Reason: Repeated personal attacks' }).waitFor();
  await expect(notice.textContent()).resolves.toMatch(/this site\. Until /);
  // The draft is kept, read-only; the buttons that would only fail are gone.
  await expect(widget.getByLabel('Your comment').inputValue()).resolves.toBe(draft);
  await expect(widget.getByLabel('Your comment').getAttribute('readonly')).resolves.not.toBeNull();
  await expect(own.getByRole('button', { name: 'Edit' }).count()).resolves.toBe(0);
  await expect(own.getByRole('button', { name: /^Like/ }).count()).resolves.toBe(0);
  await expect(widget.getByRole('button', { name: 'Reply' }).count()).resolves.toBe(0);
  await own.getByRole('button', { name: 'Delete' }).waitFor();
  await screenshot(page, 'widget-banned');

  await page.reload();
  await widget.getByText('Signed in as Brash').waitFor();
  await notice.filter({ hasText: 'Reason: Repeated personal attacks' }).waitFor();
  await widget.locator('article', { hasText: text }).getByRole('button', { name: 'Delete' }).waitFor();
  await expect(widget.getByRole('button', { name: 'Reply' }).count()).resolves.toBe(0);
  await expect(widget.getByLabel('Your comment').count()).resolves.toBe(0);
  await expect(widget.locator('article', { hasText: text }).getByRole('button', { name: /^Like/ }).count()).resolves.toBe(0);

  await moderate('DELETE', `/api/moderation/users/${userId}/ban?site=${f.siteId}`);
  await notice.waitFor({ state: 'hidden' });
  await widget.locator('article', { hasText: text }).getByRole('button', { name: 'Edit' }).waitFor();
  await widget.getByLabel('Your comment').waitFor();
  await expect(widget.locator('.err:not(:empty)').count()).resolves.toBe(0);
});

it('does not count the reader\'s own held comment in the public count', async () => {
  const writer = await api.register('Early');
  await api.post(writer.token, 'harbour-bridge-repairs', 'The first comment here.');
  await moderate('PATCH', `/api/moderation/sites/${f.siteId}/articles/harbour-bridge-repairs`, { premoderation: true });
  const { page: own, widget: held } = await open(ownPage('article="harbour-bridge-repairs"'));
  await held.getByText('1 comment', { exact: true }).waitFor();
  await registerInWidget(held, 'Heldback');
  await held.getByLabel('Your comment').fill('Waiting for a moderator');
  await held.getByRole('button', { name: 'Post', exact: true }).click();
  await held.locator('article', { hasText: 'Waiting for a moderator' }).getByText('Awaiting moderation').waitFor();
  await expect(held.getByRole('heading', { name: /comments?$/ }).textContent()).resolves.toBe('1 comment');
  await own.reload();
  await held.locator('article', { hasText: 'Waiting for a moderator' }).getByText('Awaiting moderation').waitFor();
  await expect(held.getByRole('heading', { name: /comments?$/ }).textContent()).resolves.toBe('1 comment');
});

it('offers no Like on a closed discussion, and shows "more replies" under the replies shown', async () => {
  const writer = await api.register('Threader');
  const { comment: top } = await api.post(writer.token, 'kestrelford-fc-promotion', 'Top comment with many replies');
  for (let i = 1; i <= 6; i++) await api.post(writer.token, 'kestrelford-fc-promotion', `Reply number ${i}`, top.id);
  const { page, widget } = await open(ownPage('article="kestrelford-fc-promotion"'));
  const thread = widget.locator('article', { hasText: 'Top comment with many replies' }).first();
  const more = thread.getByRole('button', { name: /^Show \d+ more repl/ });
  await more.waitFor();
  // The button follows the last reply shown, where the list goes on.
  const order = await thread.evaluate((el) => {
    const button = [...el.querySelectorAll('button')].find((b) => /more repl/.test(b.textContent ?? ''))!;
    const replies = [...el.querySelectorAll('article')];
    return replies.every((reply) => reply.compareDocumentPosition(button) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  expect(order).toBe(true);

  await thread.getByRole('button', { name: /^Like/ }).first().waitFor();
  // Closed while the page is open: the live event takes the buttons away at once.
  await moderate('PATCH', `/api/moderation/sites/${f.siteId}/articles/kestrelford-fc-promotion`, { state: 'closed' });
  await widget.getByText('This discussion is closed.', { exact: false }).waitFor();
  await expect(widget.getByRole('button', { name: /^Like/ }).count()).resolves.toBe(0);
  await page.reload();
  await widget.getByText('This discussion is closed.', { exact: false }).waitFor();
  await widget.getByText('Top comment with many replies').waitFor();
  await expect(widget.getByRole('button', { name: /^Like/ }).count()).resolves.toBe(0);
  await widget.getByLabel('Likes: 0').first().waitFor();
});

it('says the page\'s address is not allowed, rather than "check your connection"', async () => {
  const { page, widget } = await open(ownPage('article="council-vote"', refusedOrigin));
  await widget.getByText('Comments are not enabled for this page’s address', { exact: false }).waitFor();
  await expect(widget.getByText('Check your connection', { exact: false }).count()).resolves.toBe(0);
  await screenshot(page, 'widget-origin-not-allowed');
});

it('speaks Russian on a Russian page, for the server\'s refusals too', async () => {
  const { widget } = await open(`${f.demoUrl}/articles/council-vote.ru.html`);
  await widget.getByRole('button', { name: 'зарегистрируйтесь' }).click();
  await widget.getByLabel('Эл. почта').fill(`ru-${Date.now()}@example.com`);
  await widget.getByLabel('Пароль').fill('short');
  await widget.getByLabel('Имя на сайте').fill('Иван');
  await widget.getByRole('button', { name: 'Зарегистрироваться' }).click();
  await widget.getByText('должно быть не короче 10 символов').waitFor();
  await expect(widget.getByText('must be', { exact: false }).count()).resolves.toBe(0);

  await widget.getByRole('button', { name: /Уже есть аккаунт/ }).click();
  await widget.getByLabel('Эл. почта').fill(`nobody-${Date.now()}@example.com`);
  await widget.getByLabel('Пароль').fill('not the password at all');
  await widget.getByRole('button', { name: 'Войти', exact: true }).click();
  await widget.getByText('Неверный адрес почты или пароль.').waitFor();
});

it('is light by default even on a dark-mode system, dark (with room inside) when asked', async () => {
  const background = (widget: Locator) => widget.evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('section')!).backgroundColor);
  const padding = (widget: Locator) => widget.evaluate((el) => getComputedStyle(el.shadowRoot!.querySelector('section')!).paddingLeft);

  const plain = await open(ownPage('article="library-sunday-opening"'), { colorScheme: 'dark' });
  await plain.widget.getByRole('heading', { name: /comments?$/ }).waitFor();
  await expect(background(plain.widget)).resolves.toBe('rgb(255, 255, 255)');

  const dark = await open(ownPage('article="library-sunday-opening" theme="dark"'));
  await dark.widget.getByRole('heading', { name: /comments?$/ }).waitFor();
  await expect(background(dark.widget)).resolves.toBe('rgb(22, 24, 27)');
  await expect(padding(dark.widget)).resolves.toBe('16px');
  await screenshot(dark.page, 'widget-dark');

  const auto = await open(ownPage('article="library-sunday-opening" theme="auto"'), { colorScheme: 'dark' });
  await auto.widget.getByRole('heading', { name: /comments?$/ }).waitFor();
  await expect(background(auto.widget)).resolves.toBe('rgb(22, 24, 27)');
});

it('opens a permalink to a deep reply on a later page, scrolled to and focused; each time links to its comment', async () => {
  const writer = await api.register('Linker');
  const { comment: oldest } = await api.post(writer.token, 'permalinks', 'The oldest comment, on page two');
  let parent = oldest.id;
  const chain: string[] = [];
  for (let depth = 1; depth <= 5; depth++) {
    const { comment } = await api.post(writer.token, 'permalinks', `Reply at depth ${depth}`, parent);
    chain.push(comment.id);
    parent = comment.id;
  }
  for (let i = 1; i <= 25; i++) await api.post(writer.token, 'permalinks', `Newer comment ${i}`);
  const deep = chain.at(-1)!;

  const { page, widget } = await open(`${ownPage('article="permalinks"')}#comment-${deep}`);
  const target = widget.locator(`article[data-id="${deep}"]`);
  await target.getByText('Reply at depth 5').waitFor();
  await expect(target.isVisible()).resolves.toBe(true);
  expect(await page.evaluate(() => document.querySelector('parley-comments')!.shadowRoot!.activeElement?.getAttribute('data-id'))).toBe(deep);
  // In the viewport, not merely in the document.
  const box = (await target.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y).toBeLessThan(900);
  await widget.getByText('The oldest comment, on page two').waitFor();
  await screenshot(page, 'widget-permalink');

  // The rest of the thread pages on as usual, without showing the linked thread twice.
  await widget.getByRole('button', { name: 'Load more comments' }).click();
  await widget.getByText('Newer comment 1', { exact: true }).waitFor();
  await expect(widget.getByText('The oldest comment, on page two').count()).resolves.toBe(1);

  // Each comment's time is its permalink.
  const newer = widget.locator('article', { hasText: 'Newer comment 7' }).first();
  await newer.locator('a.permalink').click();
  const id = await newer.getAttribute('data-id');
  expect(await page.evaluate(() => location.hash)).toBe(`#comment-${id}`);
  expect(await page.evaluate(() => document.querySelector('parley-comments')!.shadowRoot!.activeElement?.getAttribute('data-id'))).toBe(id);

  // A link to a comment that is not there says so.
  await page.goto(`${ownPage('article="permalinks"')}#comment-${crypto.randomUUID()}`);
  await widget.getByText('That comment is not there any more.').waitFor();
});

it('count links follow the thread, "N new" stays in view mid-thread, the box grows, and a lost connection says so (the ban notice stays)', async () => {
  const writer = await api.register('Steady');
  for (let i = 1; i <= 24; i++) await api.post(writer.token, 'school-meals-pilot', `Meals comment ${i}`);
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  // Keeps the page's sockets, so the test can drop the live connection as a network would.
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    const sockets: WebSocket[] = [];
    (window as unknown as { __sockets: WebSocket[] }).__sockets = sockets;
    window.WebSocket = class extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        sockets.push(this);
      }
    };
  });
  const page = await context.newPage();
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  const widget = page.locator('parley-comments');
  const heading = widget.getByRole('heading', { name: /comments?$/ });
  await widget.getByRole('button', { name: 'log in' }).waitFor();
  await page.waitForFunction(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.some((s) => s.readyState === 1));
  const before = Number((await heading.textContent())!.split(' ')[0]);
  const countLink = page.locator('a.count[data-parley-count][data-article="council-vote"]');
  const label = (n: number) => `${n} comment${n === 1 ? '' : 's'}`;
  await expect(countLink.textContent()).resolves.toBe(label(before));
  await api.post(writer.token, 'council-vote', 'A comment that moves the count');
  await heading.filter({ hasText: label(before + 1) }).waitFor();
  await page.locator('a.count[data-parley-count][data-article="council-vote"]', { hasText: label(before + 1) }).waitFor();

  // Reading mid-thread, the button for new comments is on screen.
  await page.goto(ownPage('article="school-meals-pilot"'));
  await widget.getByText('Meals comment 5', { exact: true }).scrollIntoViewIfNeeded();
  await page.waitForFunction(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.some((s) => s.readyState === 1));
  await api.post(writer.token, 'school-meals-pilot', 'A new one while you read');
  const newButton = widget.getByRole('button', { name: 'Show 1 new comment' });
  await newButton.waitFor();
  const box = (await newButton.boundingBox())!;
  expect(box.y).toBeGreaterThanOrEqual(0);
  expect(box.y + box.height).toBeLessThanOrEqual(900);
  await screenshot(page, 'widget-new-comments-mid-thread');

  // A long reply grows its box.
  const reader = await logInAs(widget, 'Grower');
  const compose = widget.getByLabel('Your comment');
  const small = (await compose.boundingBox())!.height;
  await compose.fill(Array.from({ length: 14 }, (_, i) => `Line ${i + 1}`).join('\n'));
  const grown = (await compose.boundingBox())!.height;
  expect(grown).toBeGreaterThan(small * 2);

  // Banned, then the connection drops and comes back: the notice stays, and while away it says so.
  await moderate('POST', `/api/moderation/users/${reader}/ban`, { site: f.siteId, reason: 'Cooling off' });
  await widget.getByText('Reason: Cooling off', { exact: false }).waitFor();
  await context.setOffline(true);
  await page.evaluate(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.forEach((s) => s.close()));
  await widget.getByText('Live updates paused; reconnecting…').waitFor();
  await context.setOffline(false);
  await widget.getByText('Live updates paused; reconnecting…').waitFor({ state: 'hidden', timeout: 20_000 });
  await api.post(writer.token, 'school-meals-pilot', 'After the reconnect');
  // Nothing missed across the drop: the new comment is there behind the button.
  await widget.getByRole('button', { name: /^Show \d+ new comment/ }).click();
  await widget.getByText('After the reconnect', { exact: true }).waitFor();
  await widget.getByText('Reason: Cooling off', { exact: false }).waitFor();
  await expect(widget.getByLabel('Your comment').getAttribute('readonly')).resolves.not.toBeNull();
});

it('fits at 375 px and 1280 px: nothing cut off or scrolling sideways', async () => {
  const writer = await api.register('Narrow');
  const { comment } = await api.post(writer.token, 'tram-line-extension', 'A top-level comment with a long unbroken word: Donaudampfschifffahrtsgesellschaftskapitän');
  let parent = comment.id;
  for (let depth = 1; depth <= 5; depth++) parent = (await api.post(writer.token, 'tram-line-extension', `Nested reply ${depth}`, parent)).comment.id;
  for (const width of [375, 1280]) {
    const { page, widget } = await open(`${f.demoUrl}/articles/council-vote.html`.replace('council-vote', 'river-festival'), { width });
    await widget.getByRole('heading', { name: /comments?$/ }).waitFor();
    const own = await open(`${ownPage('article="tram-line-extension"')}#comment-${parent}`, { width });
    await own.widget.getByText('Nested reply 5').waitFor();
    for (const p of [page, own.page]) {
      const overflow = await p.evaluate(() => {
        const section = document.querySelector('parley-comments')!.shadowRoot!.querySelector('section')!;
        const right = section.getBoundingClientRect().right;
        const cut = [...section.querySelectorAll('*')].filter((el) => el.getBoundingClientRect().right > right + 1 && !el.closest('.sr'));
        return { scroll: document.documentElement.scrollWidth > window.innerWidth, cut: cut.map((el) => el.outerHTML.slice(0, 80)) };
      });
      expect(overflow).toEqual({ scroll: false, cut: [] });
    }
    await screenshot(own.page, `widget-thread-${width}`);
  }
});

it('offers Edit only while the site\'s edit window is open', async () => {
  const { page, widget } = await open(ownPage('article="edit-window"'));
  await logInAs(widget, 'Editor');
  await widget.getByLabel('Your comment').fill('Written a while ago');
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  const mine = widget.locator('article', { hasText: 'Written a while ago' });
  await mine.getByRole('button', { name: 'Edit' }).waitFor();
  // The site's window is now one second: once it has passed, a fresh load offers no Edit.
  await withDb((db) => db.updateTable('sites').set({ settings: { editWindowSeconds: 1 } }).where('id', '=', f.siteId).execute());
  try {
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await page.reload();
    await mine.getByRole('button', { name: 'Delete' }).waitFor();
    await expect(mine.getByRole('button', { name: 'Edit' }).count()).resolves.toBe(0);
  } finally {
    await withDb((db) => db.updateTable('sites').set({ settings: {} }).where('id', '=', f.siteId).execute());
  }
});
