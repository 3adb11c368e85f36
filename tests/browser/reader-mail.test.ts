import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import request from 'supertest';
import type { CaughtMail } from '@parley/mail';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 16's "Done when": a reader registers in the widget, confirms the address from the caught
 * mail (/dev/mail), gets a reply from a second reader and its notification, unsubscribes from its
 * link, resets the password by mail, downloads their data and deletes the account.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
beforeAll(async () => (f = await startBrowserFixture({}, { mail: true })));
afterAll(async () => f?.close());

/** The caught mail to `to` with this subject, once the outbox has sent it (a bounded wait). */
async function caught(to: string, subject: string): Promise<CaughtMail> {
  for (let i = 0; i < 200; i += 1) {
    const mail = f.stack.mail!.messages().find((m) => m.to === to && m.subject === subject);
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail "${subject}" to ${to}; caught: ${f.stack.mail!.messages().map((m) => `${m.to}: ${m.subject}`).join(', ')}`);
}
const linkIn = (mail: CaughtMail, path: string) => {
  const link = new RegExp(`https?://\\S+${path}\\?token=\\S+`).exec(mail.text)?.[0];
  if (!link) throw new Error(`no ${path} link in ${mail.text}`);
  return link;
};

it('registers, confirms, is mailed a reply, unsubscribes, resets the password, exports and deletes the account', async () => {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const email = `reader-${randomUUID()}@example.com`;
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  const widget = page.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();

  // Register in the widget.
  await widget.getByRole('button', { name: 'register' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByLabel('Display name').fill('Mira');
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByText('Signed in as Mira').waitFor();

  // The confirmation, from the caught mail's page.
  await caught(email, 'Confirm your email address');
  const inbox = await context.newPage();
  await inbox.goto(`${f.gatewayUrl}/dev/mail`);
  const confirmation = inbox.locator('article.mail', { hasText: email }).filter({ hasText: 'Confirm your email address' });
  await confirmation.getByRole('link', { name: /verify-email/ }).click();
  await inbox.getByText('your email address is confirmed').waitFor();

  // Mira comments; Bob replies (through the API, as another reader would).
  const text = `Where will the new bridge go? ${randomUUID().slice(0, 6)}`;
  await widget.getByLabel('Your comment').fill(text);
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  const mine = widget.locator('article', { hasText: text });
  await mine.waitFor();
  const api = request(f.gatewayUrl);
  const bob = await api.post('/auth/register').send({ email: `bob-${randomUUID()}@example.com`, password: 'correct horse battery', displayName: 'Bob' }).expect(201);
  const thread = await api.get(`/api/sites/${f.siteId}/articles/council-vote/comments`).expect(200);
  const parent = (thread.body.comments as { id: string; body: string }[]).find((c) => c.body === text)!;
  await api.post(`/api/sites/${f.siteId}/articles/council-vote/comments`).set('Authorization', `Bearer ${bob.body.accessToken}`).send({ body: 'Downstream, I hear.', parentId: parent.id }).expect(201);

  // The notification, and its unsubscribe link.
  const notification = await caught(email, 'Bob replied to your comment');
  expect(notification.text).toContain('> Downstream, I hear.');
  expect(notification.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  await inbox.goto(linkIn(notification, '/auth/pages/unsubscribe'));
  await inbox.getByRole('button', { name: 'Unsubscribe' }).click();
  await inbox.getByText('you will get no more mail about replies').waitFor();

  // Forgotten password: asked for in the widget, set on the mailed link's page.
  await widget.getByRole('button', { name: 'Log out' }).click();
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByRole('button', { name: 'Forgot password?' }).click();
  // The form comes with the account panel's chunk, loaded on this first click.
  await widget.getByRole('button', { name: 'Send a reset link' }).waitFor();
  await widget.getByLabel('Email').fill(email);
  await widget.getByRole('button', { name: 'Send a reset link' }).click();
  await widget.getByText('a link is on its way').waitFor();
  await inbox.goto(linkIn(await caught(email, 'Reset your password'), '/auth/pages/reset-password'));
  await inbox.getByLabel('New password').fill('a new river passphrase');
  await inbox.getByRole('button', { name: 'Set the password' }).click();
  await inbox.getByText('Your password is changed').waitFor();

  // Back in the widget with the new password: the reply setting is off, the data downloads.
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill('a new river passphrase');
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByText('Signed in as Mira').waitFor();
  await widget.getByRole('button', { name: 'My account' }).click();
  await widget.getByRole('button', { name: 'Download my data' }).waitFor();
  // The box is enabled once the setting has loaded.
  await widget.locator('.account-panel input[type=checkbox]:enabled').first().waitFor();
  expect(await widget.getByLabel('Mail me replies to my comments').isChecked()).toBe(false);
  expect(await widget.getByLabel('Mail me new comments in discussions I follow').isChecked()).toBe(true);
  const [download] = await Promise.all([page.waitForEvent('download'), widget.getByRole('button', { name: 'Download my data' }).click()]);
  const data = JSON.parse(await readFile((await download.path())!, 'utf8'));
  expect(data.profile).toEqual(expect.objectContaining({ email, displayName: 'Mira', emailVerified: true }));
  expect(data.notifications).toEqual({ replies: false, follows: true });
  expect(data.comments).toEqual([expect.objectContaining({ id: parent.id, body: text })]);

  // Delete the account, removing its comments: the reply keeps its place under a tombstone.
  await widget.getByLabel('remove my comments').check();
  // Exact: the panel's password form has "Current password" and "New password" too.
  await widget.getByLabel('Password', { exact: true }).fill('a new river passphrase');
  await widget.getByRole('button', { name: 'Delete my account' }).click();
  await widget.getByRole('button', { name: 'log in' }).waitFor();
  const after = await api.get(`/api/sites/${f.siteId}/articles/council-vote/comments`).expect(200);
  const tombstone = (after.body.comments as { id: string; status: string; body: string; replies: { body: string }[] }[]).find((c) => c.id === parent.id)!;
  expect(tombstone).toEqual(expect.objectContaining({ status: 'deleted', body: '' }));
  expect(tombstone.replies.map((r) => r.body)).toEqual(['Downstream, I hear.']);
  await api.post('/auth/login').send({ email, password: 'a new river passphrase' }).expect(401);
  await context.close();
});
