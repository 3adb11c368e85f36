import { randomUUID } from 'node:crypto';
import type { BrowserContext, Page } from 'playwright-core';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 16 in the widget: "My account" changes the display name (earlier comments follow) and the
 * password; and a logged-in reader sees "1 new reply to you" when someone replies while the page
 * is open, and goes to the reply with a click.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
const contexts: BrowserContext[] = [];
beforeAll(async () => (f = await startBrowserFixture()));
afterEach(async () => {
  for (const context of contexts.splice(0)) await context.close();
});
afterAll(async () => f?.close());

async function openArticle(): Promise<Page> {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  await page.locator('parley-comments').scrollIntoViewIfNeeded();
  return page;
}

async function register(page: Page, name: string, email = `${name.toLowerCase()}-${randomUUID()}@example.com`): Promise<string> {
  const widget = page.locator('parley-comments');
  await widget.getByRole('button', { name: 'register' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByLabel('Display name').fill(name);
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByText(`Signed in as ${name}`).waitFor();
  return email;
}

async function post(page: Page, text: string): Promise<void> {
  const widget = page.locator('parley-comments');
  await widget.getByLabel('Your comment').fill(text);
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  await widget.locator('article', { hasText: text }).locator('.c-text:not(.plain)').first().waitFor();
}

/** Replies in the widget to the comment with this text. */
async function reply(page: Page, to: string, body: string): Promise<void> {
  const widget = page.locator('parley-comments');
  await widget.locator('article', { hasText: to }).first().getByRole('button', { name: 'Reply' }).first().click();
  await widget.getByLabel('Your reply').fill(body);
  await widget.locator('form', { has: page.getByLabel('Your reply') }).getByRole('button', { name: 'Reply', exact: true }).click();
  await widget.locator('.c-text:not(.plain)', { hasText: body }).waitFor();
}

it('changes the display name (earlier comments too) and the password in the account panel', async () => {
  const page = await openArticle();
  const widget = page.locator('parley-comments');
  const email = await register(page, 'Nora');
  const before = `Before the rename ${randomUUID().slice(0, 6)}`;
  await post(page, before);

  await widget.getByRole('button', { name: 'My account' }).click();
  const name = widget.getByLabel('Display name');
  await name.fill('Moderator');
  await widget.getByRole('button', { name: 'Save name' }).click();
  // A staff title is refused, in the reader's words, and nothing changes.
  await widget.getByText('Display name: is not valid').waitFor();
  await name.fill('Nora Quill');
  await widget.getByRole('button', { name: 'Save name' }).click();
  await widget.getByText('Your name is changed, on your earlier comments too.').waitFor();
  await widget.getByText('Signed in as Nora Quill').waitFor();
  // The earlier comment follows (live), and a new one carries the new name.
  await widget.locator('article', { hasText: before }).locator('.author', { hasText: 'Nora Quill' }).waitFor();

  // The password: a wrong current one is refused; then changed.
  await widget.getByLabel('Current password').fill('not my password');
  await widget.getByLabel('New password').fill('a brand new passphrase');
  await widget.getByRole('button', { name: 'Change password' }).click();
  await widget.getByText('The current password is not correct.').waitFor();
  await widget.getByLabel('Current password').fill('correct horse battery');
  await widget.getByRole('button', { name: 'Change password' }).click();
  await widget.getByText('Your password is changed; your other sessions are logged out.').waitFor();
  await screenshot(page, 'account-name-and-password');

  // Still logged in here; a new comment is signed with the new name.
  const after = `After the rename ${randomUUID().slice(0, 6)}`;
  await post(page, after);
  await widget.locator('article', { hasText: after }).locator('.author', { hasText: 'Nora Quill' }).waitFor();

  // Out and in again: the old password no longer works, the new one does.
  await widget.getByRole('button', { name: 'Log out' }).click();
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByText('Wrong email or password.').waitFor();
  await widget.getByLabel('Password').fill('a brand new passphrase');
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByText('Signed in as Nora Quill').waitFor();
});

it('shows "1 new reply to you" when another reader replies, and a click goes to the reply', async () => {
  const alicePage = await openArticle();
  const bobPage = await openArticle();
  await register(alicePage, 'Alice');
  await register(bobPage, 'Bob');
  const alice = alicePage.locator('parley-comments');
  const bob = bobPage.locator('parley-comments');

  const text = `Where will the ferry stop? ${randomUUID().slice(0, 6)}`;
  await post(alicePage, text);
  // Alice's own reply to herself is no news to her.
  await reply(alicePage, text, 'To add to my own question: and when?');

  await bob.getByRole('button', { name: /Show \d+ new comment/ }).click();
  await reply(bobPage, text, 'At the old pier, from May.');

  const badge = alice.getByRole('button', { name: '1 new reply to you' });
  await badge.waitFor();
  await screenshot(alicePage, 'reply-badge');
  await badge.click();
  const theirs = alice.locator('article', { hasText: 'At the old pier, from May.' }).last();
  const replyId = await theirs.getAttribute('data-id');
  expect(await alicePage.evaluate(() => location.hash)).toBe(`#comment-${replyId}`);
  await alicePage.waitForFunction((id) => document.querySelector('parley-comments')!.shadowRoot!.activeElement?.getAttribute('data-id') === id, replyId);
  expect(await theirs.getAttribute('class')).toContain('target');
  await expect(badge.isHidden()).resolves.toBe(true);
  // Bob, who replied, got no badge.
  expect(await bob.locator('[data-act=replies]').count()).toBe(0);

  // Two more count up; they were Alice's, so logging out takes the badge away.
  await reply(bobPage, text, 'Ferries every hour.');
  await reply(bobPage, text, 'And on Sundays too.');
  await alice.getByRole('button', { name: '2 new replies to you' }).waitFor();
  await alice.getByRole('button', { name: 'Log out' }).click();
  await alice.locator('[data-act=replies][hidden]').waitFor({ state: 'attached' });
});
