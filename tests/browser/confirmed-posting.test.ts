import { randomUUID } from 'node:crypto';
import type { CaughtMail } from '@parley/mail';
import { controlTokenHeader } from '@parley/platform';
import { newControlToken } from '../../scripts/cli/control';
import { startBrowserFixture, type BrowserFixture } from './fixture';

/**
 * Issue 16 item 2 on a site that requires a confirmed email: a new reader's first post is refused
 * with the widget's own sentence and a "Send the link again" button, the draft stays; once the
 * link from the mail is opened in another tab, posting the same draft works (the widget refreshes
 * its token, which now says the address is confirmed).
 */
jest.setTimeout(120_000);

const controlToken = newControlToken();
let f: BrowserFixture;
beforeAll(async () => {
  f = await startBrowserFixture({ PARLEY_CONTROL_TOKEN: controlToken }, { mail: true });
  // As `pnpm parley sites set ID --set requireVerifiedEmail=true` does on a running Parley.
  const set = await fetch(`${f.stack.urls.comments}/internal/control/sites`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [controlTokenHeader]: controlToken },
    body: JSON.stringify({ actor: 'browser test', command: { op: 'set', id: f.siteId, change: { settings: { requireVerifiedEmail: true } } } }),
  });
  expect(set.status).toBe(200);
});
afterAll(async () => f?.close());

/** The caught mails to `to` with this subject, once there are `count` of them (a bounded wait). */
async function caught(to: string, subject: string, count = 1): Promise<CaughtMail[]> {
  for (let i = 0; i < 200; i += 1) {
    const mails = f.stack.mail!.messages().filter((m) => m.to === to && m.subject === subject);
    if (mails.length >= count) return mails;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no ${count} mails "${subject}" to ${to}`);
}
const linkIn = (mail: CaughtMail, path: string) => {
  const link = new RegExp(`https?://\\S+${path}\\?token=\\S+`).exec(mail.text)?.[0];
  if (!link) throw new Error(`no ${path} link in the mail`);
  return link;
};

it('refuses a new reader’s post until the mailed link is opened, keeping the draft, then posts it', async () => {
  const context = await f.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const email = `reader-${randomUUID()}@example.com`;
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  const widget = page.locator('parley-comments');
  await widget.scrollIntoViewIfNeeded();

  await widget.getByRole('button', { name: 'register' }).click();
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill('correct horse battery');
  await widget.getByLabel('Display name').fill('Nadia');
  await widget.getByRole('button', { name: 'Create account' }).click();
  await widget.getByText('Signed in as Nadia').waitFor();

  // Not confirmed yet: refused, said in the widget's words, the draft kept.
  const text = `Will the ferry run in winter? ${randomUUID().slice(0, 6)}`;
  await widget.getByLabel('Your comment').fill(text);
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  await widget.getByText('Your comment was not posted: Confirm your email first: open the link we mailed you.').waitFor();
  expect(await widget.getByLabel('Your comment').inputValue()).toBe(text);
  expect(await widget.locator('article', { hasText: text }).count()).toBe(0);

  // "Send the link again" mails a second link.
  await widget.getByRole('button', { name: 'Send the link again' }).click();
  await widget.getByText('A new link is on its way. Open it, then post again.').waitFor();
  const [, again] = await caught(email, 'Confirm your email address', 2);

  // The reader opens it in another tab.
  const inbox = await context.newPage();
  await inbox.goto(linkIn(again!, '/auth/pages/verify-email'));
  await inbox.getByText('your email address is confirmed').waitFor();

  // Back on the article: the same draft goes out (one refresh of the token on the way).
  await page.bringToFront();
  await widget.getByRole('button', { name: 'Post', exact: true }).click();
  // Shown at once as "sending…"; a permalink once the server has stored it.
  await widget.locator('article', { hasText: text }).locator('a.permalink').waitFor();
  expect(await widget.getByLabel('Your comment').inputValue()).toBe('');
  expect(await widget.getByText('Your comment was not posted').count()).toBe(0);
  const thread = await fetch(`${f.gatewayUrl}/api/sites/${f.siteId}/articles/council-vote/comments`);
  const { comments } = (await thread.json()) as { comments: { body: string; author: { name: string } }[] };
  expect(comments.find((comment) => comment.body === text)?.author.name).toBe('Nadia');
  await context.close();
});
