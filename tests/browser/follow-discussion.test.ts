import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { CaughtMail } from '@parley/mail';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * "Follow this discussion" in the widget (ADR 0022): a logged-in reader presses Follow in the
 * discussion header, another reader comments, and the digest arrives (the embedded stack's mail
 * catcher; the same mail through a real SMTP server: tests/e2e/follow-digest.test.ts). A 3-second
 * digest window here.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
beforeAll(async () => (f = await startBrowserFixture({ FOLLOW_DIGEST_MINUTES: '0.05', NOTIFICATIONS_POLL_SECONDS: '0.2' }, { mail: true })));
afterAll(async () => f?.close());

/** The caught mail to `to` whose subject starts so, once the outbox has sent it (a bounded wait). */
async function caught(to: string, subject: string): Promise<CaughtMail> {
  for (let i = 0; i < 400; i += 1) {
    const mail = f.stack.mail!.messages().find((m) => m.to === to && m.subject.startsWith(subject));
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail "${subject}" to ${to}; caught: ${f.stack.mail!.messages().map((m) => `${m.to}: ${m.subject}`).join(', ')}`);
}

it('follows a discussion from the widget, gets the digest of a new comment, and unfollows', async () => {
  const api = request(f.gatewayUrl);
  const thread = `/api/sites/${f.siteId}/articles/council-vote/comments`;
  const bob = await api.post('/auth/register').send({ email: `bob-${randomUUID()}@example.com`, password: 'correct horse battery', displayName: 'Bob' }).expect(201);
  const asBob = { Authorization: `Bearer ${bob.body.accessToken as string}` };
  await api.post(thread).set(asBob).send({ body: 'First thoughts on the vote.', title: 'Council vote' }).expect(201);

  // Fay registers with a confirmed address (digests go only to those).
  const email = `fay-${randomUUID()}@example.com`;
  await api.post('/auth/register').send({ email, password: 'correct horse battery', displayName: 'Fay' }).expect(201);
  const confirm = /https?:\/\/\S+\/auth\/pages\/verify-email\?token=\S+/.exec((await caught(email, 'Confirm your email address')).text)![0];
  await api.get(new URL(confirm).pathname + new URL(confirm).search).expect(200);

  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  const widget = page.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();
  // Logged out: nothing to follow with.
  await widget.getByText('First thoughts on the vote.').waitFor();
  expect(await widget.getByRole('button', { name: 'Follow', exact: true }).count()).toBe(0);
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByText('Signed in as Fay').waitFor();

  await widget.getByRole('button', { name: 'Follow', exact: true }).click();
  const following = widget.getByRole('button', { name: 'Following' });
  await following.waitFor();
  expect(await following.getAttribute('aria-pressed')).toBe('true');

  await api.post(thread).set(asBob).send({ body: 'The motion passed, 7 to 4.' }).expect(201);
  const digest = await caught(email, 'New comments on “Council vote”');
  expect(digest.text).toContain('Bob wrote:\n> The motion passed, 7 to 4.');
  expect(digest.text).not.toContain('First thoughts on the vote.');
  expect(digest.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');

  // Still following after a reload; then unfollow.
  await page.reload();
  await widget.getByRole('button', { name: 'Following' }).click();
  await widget.getByRole('button', { name: 'Follow', exact: true }).waitFor();
  await context.close();
});
