import type { AuthSession } from '@parley/contracts';
import { createApi } from './api';
import type { FetchLike } from './http';
import { Session, storageKeyFor, type StorageLike } from './session';

const base = 'https://parley.example';
const user = { id: '7f0c1a52-0000-4000-8000-000000000001', email: 'r@example.com', displayName: 'Reader', role: 'reader' as const, sites: [] };

function memoryStorage(): StorageLike & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v), removeItem: (k) => void data.delete(k) };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

const error = (status: number, code: string, message = code) => json(status, { error: { code, message } });

/** A fake auth service: rotates refresh tokens, rejects a spent one as reused. */
function fakeServer() {
  let generation = 0;
  const live = new Set<string>();
  const calls: { url: string; method: string; body: unknown; auth: string | null }[] = [];
  let accessValid = true;
  const issue = (): AuthSession => {
    generation += 1;
    const refreshToken = `refresh-${generation}`;
    live.add(refreshToken);
    return { user, accessToken: `access-${generation}`, refreshToken, expiresIn: 900 };
  };
  const handler = jest.fn<Promise<Response>, Parameters<FetchLike>>(async (url, init) => {
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    const auth = (init?.headers as Record<string, string> | undefined)?.Authorization ?? null;
    calls.push({ url, method: init?.method ?? 'GET', body, auth });
    expect(init?.credentials).toBe('omit');
    const path = url.slice(base.length).split('?')[0] ?? '';
    if (path === '/auth/login') return body.password === 'right' ? json(200, issue()) : error(401, 'invalid_credentials');
    if (path === '/auth/refresh') {
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (!live.delete(body.refreshToken)) return error(401, 'refresh_token_reused');
      accessValid = true;
      return json(200, issue());
    }
    if (path === '/auth/logout') return json(204, null);
    if (path === '/auth/sso') return body.token === 'signed-by-publisher' && body.site === 'gazette' ? json(200, issue()) : error(401, 'sso_bad_signature');
    if (path.endsWith('/reaction')) {
      if (!auth) return error(401, 'unauthenticated');
      if (!accessValid) return error(401, 'token_expired');
      return json(200, { commentId: 'c', reactionCount: 1, reacted: true });
    }
    return error(404, 'route_not_found');
  });
  return { fetch: handler as FetchLike, calls, expireAccess: () => (accessValid = false) };
}

describe('session', () => {
  it('keeps the refresh token under a key namespaced by the Parley origin, never the access token', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const session = new Session({ baseUrl: `${base}/`, fetch: server.fetch, storage });
    await session.login('r@example.com', 'right');
    expect(storageKeyFor(base)).toBe('parley:https://parley.example:refresh');
    expect([...storage.data.entries()]).toEqual([['parley:https://parley.example:refresh', 'refresh-1']]);
    expect(session.user).toEqual(user);
  });

  it('surfaces invalid credentials as an ApiError and stays logged out', async () => {
    const session = new Session({ baseUrl: base, fetch: fakeServer().fetch, storage: memoryStorage() });
    await expect(session.login('r@example.com', 'wrong')).rejects.toMatchObject({ status: 401, code: 'invalid_credentials' });
    expect(session.user).toBeNull();
  });

  it('restores a session after a reload from the stored refresh token', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    await new Session({ baseUrl: base, fetch: server.fetch, storage }).login('r@example.com', 'right');
    const reloaded = new Session({ baseUrl: base, fetch: server.fetch, storage });
    await reloaded.restore();
    expect(reloaded.user?.id).toBe(user.id);
    expect(await reloaded.token()).toBe('access-2');
  });

  it('refreshes once for many simultaneous callers (single flight)', async () => {
    const server = fakeServer();
    const session = new Session({ baseUrl: base, fetch: server.fetch, storage: memoryStorage() });
    await session.login('r@example.com', 'right');
    const tokens = await Promise.all([session.refresh(), session.refresh(), session.refresh()]);
    expect(new Set(tokens)).toEqual(new Set(['access-2']));
    expect(server.calls.filter((call) => call.url.endsWith('/auth/refresh'))).toHaveLength(1);
    expect(session.user).not.toBeNull();
  });

  it('refreshes before expiry on its own', async () => {
    const server = fakeServer();
    let now = 0;
    const timers: (() => void)[] = [];
    const session = new Session({
      baseUrl: base,
      fetch: server.fetch,
      storage: memoryStorage(),
      now: () => now,
      setTimer: (run) => timers.push(run),
      clearTimer: () => {},
    });
    await session.login('r@example.com', 'right');
    expect(timers).toHaveLength(1);
    now = 899_000;
    expect(await session.token()).toBe('access-2');
  });

  it('logs out cleanly when the refresh token was reused elsewhere', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const session = new Session({ baseUrl: base, fetch: server.fetch, storage });
    await session.login('r@example.com', 'right');
    const changes: string[] = [];
    session.onChange((change) => changes.push(change));
    storage.setItem(session.storageKey, 'refresh-spent');
    expect(await session.refresh()).toBeNull();
    expect(session.user).toBeNull();
    expect(storage.data.size).toBe(0);
    expect(changes).toEqual(['expired']);
  });

  it('logout revokes the family on the server and forgets the token', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const session = new Session({ baseUrl: base, fetch: server.fetch, storage });
    await session.login('r@example.com', 'right');
    await session.logout();
    expect(server.calls.at(-1)).toMatchObject({ url: `${base}/auth/logout`, method: 'POST', body: { refreshToken: 'refresh-1' } });
    expect(storage.data.size).toBe(0);
    expect(await session.token()).toBeNull();
  });

  it('follows a logout in another tab', async () => {
    const session = new Session({ baseUrl: base, fetch: fakeServer().fetch, storage: memoryStorage() });
    await session.login('r@example.com', 'right');
    session.storageChanged(session.storageKey, null);
    expect(session.user).toBeNull();
  });
});

describe('publisher sign-on', () => {
  it('exchanges the publisher token once, however often it is handed over, and keeps the session like a login', async () => {
    const server = fakeServer();
    const storage = memoryStorage();
    const session = new Session({ baseUrl: base, fetch: server.fetch, storage });
    const changes: string[] = [];
    session.onChange((change) => changes.push(change));
    const [a, b] = await Promise.all([session.signOn('gazette', 'signed-by-publisher'), session.signOn('gazette', 'signed-by-publisher')]);
    expect(a).toEqual(user);
    expect(b).toEqual(user);
    expect(server.calls.filter((call) => call.url === `${base}/auth/sso`)).toEqual([
      { url: `${base}/auth/sso`, method: 'POST', body: { site: 'gazette', token: 'signed-by-publisher' }, auth: null },
    ]);
    expect(storage.data.get(storageKeyFor(base))).toBe('refresh-1');
    expect(changes).toEqual(['login']);
    // Refreshed and logged out like any session.
    expect(await session.refresh()).toBe('access-2');
    await session.logout();
    expect(storage.data.size).toBe(0);
  });

  it('surfaces a refused token as an ApiError and stays logged out', async () => {
    const session = new Session({ baseUrl: base, fetch: fakeServer().fetch, storage: memoryStorage() });
    await expect(session.signOn('gazette', 'forged')).rejects.toMatchObject({ status: 401, code: 'sso_bad_signature' });
    expect(session.user).toBeNull();
  });
});

describe('api calls with a session', () => {
  it('retries once with a fresh token after 401 token_expired', async () => {
    const server = fakeServer();
    const session = new Session({ baseUrl: base, fetch: server.fetch, storage: memoryStorage() });
    const api = createApi({ baseUrl: base, fetch: server.fetch, session });
    await session.login('r@example.com', 'right');
    server.expireAccess();
    await expect(api.react('c', true)).resolves.toEqual({ commentId: 'c', reactionCount: 1, reacted: true });
    const reactionCalls = server.calls.filter((call) => call.url.endsWith('/reaction'));
    expect(reactionCalls.map((call) => call.auth)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('refuses writes without a session before calling the API', async () => {
    const server = fakeServer();
    const session = new Session({ baseUrl: base, fetch: server.fetch, storage: memoryStorage() });
    await expect(createApi({ baseUrl: base, fetch: server.fetch, session }).react('c', true)).rejects.toMatchObject({
      code: 'unauthenticated',
    });
    expect(server.calls).toHaveLength(0);
  });

  it('turns error bodies, Retry-After and network failures into ApiErrors', async () => {
    const session = new Session({ baseUrl: base, fetch: fakeServer().fetch, storage: memoryStorage() });
    const limited: FetchLike = async () => json(429, { error: { code: 'rate_limited', message: 'slow down' } }, { 'Retry-After': '30' });
    await expect(createApi({ baseUrl: base, fetch: limited, session }).thread('demo', 'a', 'newest')).rejects.toMatchObject({
      status: 429,
      code: 'rate_limited',
      retryAfter: 30,
    });
    const offline: FetchLike = async () => {
      throw new TypeError('Failed to fetch');
    };
    await expect(createApi({ baseUrl: base, fetch: offline, session }).thread('demo', 'a', 'newest')).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });

  it('builds the contract URLs', async () => {
    const urls: string[] = [];
    const record: FetchLike = async (url) => {
      urls.push(url);
      return json(200, { comments: [], nextCursor: null, counts: {} });
    };
    const session = new Session({ baseUrl: base, fetch: record, storage: memoryStorage() });
    const api = createApi({ baseUrl: base, fetch: record, session });
    await api.thread('demo', 'council-vote', 'top', 'abc');
    await api.replies('c1', 'xyz');
    await api.counts('demo', ['a', 'b']);
    expect(urls).toEqual([
      `${base}/api/sites/demo/articles/council-vote/comments?sort=top&limit=20&cursor=abc`,
      `${base}/api/comments/c1/replies?limit=20&cursor=xyz`,
      `${base}/api/sites/demo/counts?articles=a%2Cb`,
    ]);
  });
});
