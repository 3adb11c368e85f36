import { connect } from '@parley/db';
import { schema as authSchema, type AuthDatabase } from '@parley/auth';
import type { CaughtMail } from '@parley/mail';
import { parleyApi } from './api';
import { consoleSignIn } from './console-sign-in';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 16, moderators' queue mail (ADR 0022): a moderator opts in from the console header, a
 * comment of their site is reported, and one mail lists the site's new items (the embedded
 * stack's catcher; a 3-second window here).
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
beforeAll(async () => {
  f = await startBrowserFixture({ FOLLOW_DIGEST_MINUTES: '0.05', NOTIFICATIONS_POLL_SECONDS: '0.2' }, { mail: true });
  // The demo accounts are seeded unconfirmed; this moderator confirmed their address.
  const db = connect<AuthDatabase>(f.database.source).withSchema(authSchema);
  await db.updateTable('users').set({ email_verified_at: new Date() }).where('email_normalized', '=', 'moderator@example.com').execute();
  await db.destroy();
});
afterAll(async () => f?.close());

async function caught(to: string, subject: string): Promise<CaughtMail> {
  for (let i = 0; i < 400; i += 1) {
    const mail = f.stack.mail!.messages().find((m) => m.to === to && m.subject === subject);
    if (mail) return mail;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no mail "${subject}" to ${to}; caught: ${f.stack.mail!.messages().map((m) => `${m.to}: ${m.subject}`).join(', ')}`);
}

it('a moderator opts in to queue mail in the console and is mailed about a new report on their site', async () => {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${f.gatewayUrl}/moderate?site=${f.siteId}`);
  await consoleSignIn(page, 'moderator@example.com', 'parley-demo', { database: f.database.source });
  const toggle = page.getByLabel('Mail me new queue items');
  await page.locator('#queue-mail:enabled').waitFor();
  expect(await toggle.isChecked()).toBe(false);
  await toggle.check();
  await page.getByText('You will be mailed about new queue items.').waitFor({ state: 'attached' });

  const api = parleyApi(f.gatewayUrl, f.siteId);
  const author = await api.register('Loud');
  const reporter = await api.register('Watcher');
  const { comment } = await api.post(author.token, 'council-vote', 'A remark someone will report.');
  await api.report(reporter.token, comment.id, 'spam');

  const mail = await caught('moderator@example.com', 'New items in your moderation queue');
  expect(mail.text).toContain('The Kestrelford Courier: 1 new');
  expect(mail.text).toMatch(/Open the moderation console: http\S+\/moderate/);
  expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  await context.close();
});
