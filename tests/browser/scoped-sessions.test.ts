import { parleyApi } from './api';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { staffAccessToken } from '../support/authenticators';

let adminToken: Promise<string> | undefined;

/**
 * The trust boundary between a publisher's page and staff powers (ADR 0006): an admin who logs
 * into the widget on an article page holds a reader's session there. A script on that page (the
 * publisher's tags, an ad, an XSS on the news site) takes what the widget stored and tries the
 * admin's powers; every attempt is refused and nothing changes.
 */
jest.setTimeout(60_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;

beforeAll(async () => {
  f = await startBrowserFixture();
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

/** An admin session from a client with no Origin (as the CLI would hold one), to look at the result. */
async function staffToken(): Promise<string> {
  // Password and a code of the demo admin's authenticator app: the password alone is a participant session.
  adminToken ??= staffAccessToken(f.gatewayUrl, f.database.source, 'admin@example.com');
  return adminToken;
}

it('a page script holding an admin\'s widget session cannot change a role, remove a comment or read the queue', async () => {
  const victim = await api.register('Hopeful Reader');
  const { comment } = await api.post(victim.token, 'council-vote', 'A perfectly civil comment about the council vote.');
  const findVictim = async () =>
    (await (await fetch(`${f.gatewayUrl}/auth/users?email=${encodeURIComponent(victim.email)}`, { headers: { authorization: `Bearer ${await staffToken()}` } })).json()) as {
      user: { id: string; role: string };
    };
  const victimId = (await findVictim()).user.id;

  const page = await (await f.browser.newContext()).newPage();
  await page.goto(`${f.demoUrl}/articles/council-vote.html`);
  const widget = page.locator('parley-comments');
  await widget.getByRole('button', { name: 'log in' }).click();
  await widget.getByLabel('Email').fill('admin@example.com');
  await widget.getByLabel('Password').fill('parley-demo');
  await widget.getByRole('button', { name: 'Log in', exact: true }).click();
  await widget.getByLabel('Your comment').waitFor();

  // The "page script": everything it does, it does with what the widget left on the page.
  const attempts = await page.evaluate(
    async ({ gateway, victimId, commentId }) => {
      const stored = Object.keys(localStorage).filter((key) => key.endsWith(':refresh'));
      const refreshToken = localStorage.getItem(stored[0] ?? '') ?? '';
      const refreshed = await fetch(`${gateway}/auth/refresh`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      });
      const session = (await refreshed.json()) as { accessToken: string };
      const scope = JSON.parse(atob(session.accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))).scope as string;
      const attempt = async (method: string, path: string, body?: unknown) => {
        try {
          const response = await fetch(`${gateway}${path}`, {
            method,
            headers: { authorization: `Bearer ${session.accessToken}`, 'content-type': 'application/json' },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return { path, outcome: String(response.status) };
        } catch {
          // CORS: the browser refused to send it (the preflight was answered 403) or to hand back the answer.
          return { path, outcome: 'blocked by the browser' };
        }
      };
      return {
        token: session.accessToken,
        storedKeys: stored.length,
        refreshStatus: refreshed.status,
        scope,
        results: [
          await attempt('PUT', `/auth/users/${victimId}/role`, { role: 'admin' }),
          await attempt('POST', `/api/moderation/comments/${commentId}/remove`, { reason: 'page script' }),
          await attempt('GET', '/api/moderation/queue?type=reported'),
        ],
      };
    },
    { gateway: f.gatewayUrl, victimId, commentId: comment.id },
  );

  expect(attempts.storedKeys).toBe(1);
  // The refresh itself works (it is the reader's session), but it is a participant one.
  expect(attempts.refreshStatus).toBe(200);
  expect(attempts.scope).toBe('participant');
  for (const result of attempts.results) expect({ path: result.path, refused: !result.outcome.startsWith('2') }).toEqual({ path: result.path, refused: true });

  // Nothing changed: the account is still a reader and the comment is still there.
  expect((await findVictim()).user.role).toBe('reader');
  const thread = (await (await fetch(`${f.gatewayUrl}/api/sites/${f.siteId}/articles/council-vote/comments`)).json()) as { comments: { id: string; status: string }[] };
  expect(thread.comments.find((c) => c.id === comment.id)?.status).toBe('published');

  // Carried out of the browser (no CORS there), the stolen token is refused by the services themselves.
  for (const [method, path] of [
    ['GET', '/api/moderation/queue?type=reported'],
    ['PUT', `/auth/users/${victimId}/role`],
  ] as const) {
    const direct = await fetch(`${f.gatewayUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${attempts.token}`, 'content-type': 'application/json' },
      body: method === 'PUT' ? JSON.stringify({ role: 'admin' }) : undefined,
    });
    expect({ path, status: direct.status, code: ((await direct.json()) as { error: { code: string } }).error.code }).toEqual({
      path,
      status: 403,
      code: 'staff_session_required',
    });
  }
  expect((await findVictim()).user.role).toBe('reader');
});
