import { randomUUID } from 'node:crypto';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { staffAccessToken } from '../support/authenticators';
import { screenshot } from './browser';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * What the author of a comment sees that nobody else does (issue 13): why a moderator removed
 * their comment, on their own tombstone, live; and a preview of their Markdown as it will be published.
 */
jest.setTimeout(90_000);

let f: BrowserFixture;
const contexts: BrowserContext[] = [];
beforeAll(async () => (f = await startBrowserFixture()));
afterAll(async () => {
  for (const context of contexts) await context.close();
  await f?.close();
});

async function openArticle(article: string): Promise<{ page: Page; widget: Locator }> {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${f.demoUrl}/articles/${article}.html`);
  const widget = page.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();
  return { page, widget };
}

async function register(widget: Locator, name: string): Promise<void> {
  await widget.getByRole('button', { name: 'register' }).click();
  await widget.getByLabel('Email').fill(`${name.toLowerCase()}-${randomUUID()}@example.com`);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByLabel('Display name').fill(name);
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByText(`Signed in as ${name}`).waitFor();
}

it('tells the author, and only the author, why a moderator removed their comment, without a reload', async () => {
  const article = 'council-vote';
  const author = await openArticle(article);
  await register(author.widget, 'Pillseller');
  const text = `Cheap pills at my shop ${randomUUID().slice(0, 6)}`;
  await author.widget.getByLabel('Your comment').fill(text);
  await author.widget.getByRole('button', { name: 'Post', exact: true }).click();
  const mine = author.widget.locator('article[data-id]:not(.sending)', { hasText: text });
  const id = await mine.getAttribute('data-id');
  const later = `And another thing ${randomUUID().slice(0, 6)}`;
  await author.widget.getByLabel('Your comment').fill(later);
  await author.widget.getByRole('button', { name: 'Post', exact: true }).click();
  const laterId = await author.widget.locator('article[data-id]:not(.sending)', { hasText: later }).getAttribute('data-id');

  const reader = await openArticle(article);
  await register(reader.widget, 'Neighbour');
  await reader.widget.getByText(text).waitFor();

  const moderator = await staffAccessToken(f.gatewayUrl, f.database.source, 'moderator@example.com');
  const removed = await fetch(`${f.gatewayUrl}/api/moderation/comments/${id}/remove`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${moderator}` },
    body: JSON.stringify({ reason: 'Spam: links to a shop' }),
  });
  expect(removed.status).toBe(200);

  const authorTomb = author.widget.locator(`article[data-id="${id}"] .c-text`).first();
  await author.widget.getByText('Removed by a moderator: Spam: links to a shop').waitFor();
  expect(await authorTomb.textContent()).toBe('Removed by a moderator: Spam: links to a shop');
  await screenshot(author.page, 'removal-reason-author');

  const readerTomb = reader.widget.locator(`article[data-id="${id}"] .c-text`).first();
  await reader.widget.locator(`article[data-id="${id}"] .c-text.gone`).waitFor();
  expect(await readerTomb.textContent()).toBe('Removed by a moderator');
  await screenshot(reader.page, 'removal-reason-reader');

  // After a reload the author's own part of the page still says why; the other reader's still does not.
  await author.page.reload();
  await author.widget.getByText('Removed by a moderator: Spam: links to a shop').waitFor();

  // Everything else of theirs removed at once: each tombstone of the open page gets the reason.
  const asModerator = { 'content-type': 'application/json', authorization: `Bearer ${moderator}` };
  const context = (await (await fetch(`${f.gatewayUrl}/api/comments/${laterId}`, { headers: asModerator })).json()) as { comment: { author: { id: string } } };
  const removeAll = await fetch(`${f.gatewayUrl}/api/moderation/sites/${f.siteId}/users/${context.comment.author.id}/remove-all`, {
    method: 'POST',
    headers: asModerator,
    body: JSON.stringify({ reason: 'Ban evasion', confirm: true }),
  });
  expect(removeAll.status).toBe(200);
  await author.widget.getByText('Removed by a moderator: Ban evasion').waitFor();
  expect(await author.widget.locator(`article[data-id="${laterId}"] .c-text`).first().textContent()).toBe('Removed by a moderator: Ban evasion');
  expect(await authorTomb.textContent()).toBe('Removed by a moderator: Spam: links to a shop');
  await reader.page.reload();
  await reader.widget.locator(`article[data-id="${id}"] .c-text.gone`).waitFor();
  expect(await reader.widget.locator(`article[data-id="${id}"] .c-text`).first().textContent()).toBe('Removed by a moderator');
});

it('previews Markdown exactly as it will be published, keeps the draft across Preview and Write, and speaks the reader\'s language', async () => {
  const article = 'river-festival';
  const { page, widget } = await openArticle(article);
  await register(widget, 'Writer');
  const text = `**Bold claim** and _a doubt_, see [the minutes](https://example.com/minutes) ${randomUUID().slice(0, 6)}`;
  const box = widget.getByLabel('Your comment');
  await box.fill(text);

  await widget.getByRole('button', { name: 'Preview' }).click();
  const preview = widget.getByRole('region', { name: 'Preview' });
  await preview.locator('strong', { hasText: 'Bold claim' }).waitFor();
  expect(await preview.locator('em').textContent()).toBe('a doubt');
  const link = preview.getByRole('link', { name: 'the minutes' });
  expect(await link.getAttribute('href')).toBe('https://example.com/minutes');
  expect(await link.getAttribute('rel')).toBe('nofollow ugc noopener');
  expect(await link.getAttribute('target')).toBe('_blank');
  expect(await box.isHidden()).toBe(true);
  const previewed = await preview.innerHTML();
  await screenshot(page, 'preview-composer');

  // Write brings the box back with the draft as typed.
  await widget.getByRole('button', { name: 'Write', pressed: true }).click();
  await box.waitFor();
  expect(await box.inputValue()).toBe(text);
  expect(await preview.isHidden()).toBe(true);

  // Posted from the preview: the comment shows the very HTML the preview showed, and the box is empty and writable again.
  await widget.getByRole('button', { name: 'Preview' }).click();
  await preview.locator('strong').waitFor();
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  const posted = widget.locator('article[data-id]:not(.sending)', { hasText: 'Bold claim' });
  await posted.locator('.c-text strong').waitFor();
  expect(await posted.locator('.c-main .c-text').innerHTML()).toBe(previewed);
  await box.waitFor();
  expect(await box.inputValue()).toBe('');

  // The edit box has the same Preview and Write.
  await posted.getByRole('button', { name: 'Edit' }).click();
  const edit = posted.getByLabel('Edit your comment');
  await edit.fill(`${text} and _more_`);
  await posted.getByRole('button', { name: 'Preview' }).click();
  await posted.getByRole('region', { name: 'Preview' }).locator('em', { hasText: 'more' }).waitFor();
  await posted.getByRole('button', { name: 'Write' }).click();
  expect(await edit.inputValue()).toBe(`${text} and _more_`);
  await posted.getByRole('button', { name: 'Cancel' }).click();

  // The Russian edition (same reader, same session): errors in Russian, from the widget's own catalog.
  await page.goto(`${f.demoUrl}/articles/council-vote.ru.html`);
  const ru = page.locator('parley-comments');
  await ru.scrollIntoViewIfNeeded();
  const ruBox = ru.locator('form.compose textarea').first();
  await ruBox.waitFor();
  await ru.getByRole('button', { name: 'Предпросмотр' }).click();
  await ru.getByText('Сначала напишите что-нибудь.').waitFor();
  await ruBox.fill('x'.repeat(5001));
  await ru.getByRole('button', { name: 'Предпросмотр' }).click();
  await ru.getByText('должно быть не длиннее 5000 символов', { exact: false }).waitFor();
  expect(await ruBox.inputValue()).toHaveLength(5001);
  expect(await ru.locator('form.compose').first().textContent()).not.toContain('must be');
});
