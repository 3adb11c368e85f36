import { randomUUID } from 'node:crypto';
import { createSite } from '../sites/sites.repository';
import {
  connectSocket,
  connected,
  joinArticle,
  newArticleKey,
  newUser,
  startLiveNode,
  startTestApp,
  waitFor,
  type LiveNode,
  type TestApp,
  type TestSocket,
} from '../test-support';

let t: TestApp;
let node: LiveNode;
let site: string;
const publisher = `https://${randomUUID()}.example`;
const sockets: TestSocket[] = [];

beforeAll(async () => {
  t = await startTestApp();
  node = await startLiveNode(t.source, t.tokens, { LIVE_MESSAGE_LIMIT: '5', LIVE_MESSAGE_WINDOW_SECONDS: '60' }, t.clock.now);
  site = (await createSite(t.db, { id: `site-${randomUUID()}`, origins: [publisher] })).id;
});

afterEach(() => {
  for (const socket of sockets.splice(0)) socket.disconnect();
});

afterAll(async () => {
  await node.stop();
  await t.close();
});

function open(options: Parameters<typeof connectSocket>[1] = {}): TestSocket {
  const socket = connectSocket(node.url, options);
  sockets.push(socket);
  return socket;
}

function refusal(socket: TestSocket): Promise<Error & { data?: { code: string } }> {
  return new Promise((resolve, reject) => {
    socket.once('connect', () => reject(new Error('the handshake was accepted')));
    socket.once('connect_error', resolve);
  });
}

describe('who is on a socket', () => {
  it('lets readers watch without a token', async () => {
    const socket = open();
    await connected(socket);
    expect(await joinArticle(socket, { site, article: newArticleKey() })).toEqual(expect.objectContaining({ ok: true }));
  });

  it('refuses an invalid token with a clear code instead of treating it as anonymous', async () => {
    const tampered = `${newUser(t.tokens).token.slice(0, -4)}AAAA`;
    expect((await refusal(open({ token: tampered }))).data).toEqual({ code: 'invalid_token' });
    expect((await refusal(open({ token: 'not-a-jwt' }))).data).toEqual({ code: 'invalid_token' });
  });

  it('refuses an expired token with token_expired', async () => {
    const expired = t.tokens.sign({ sub: randomUUID(), name: 'Late' }, { expiresInSeconds: -10 });
    expect((await refusal(open({ token: expired }))).data).toEqual({ code: 'token_expired' });
  });

  it('drops the identity when the token lapses on an open socket, and takes a fresh one', async () => {
    const id = randomUUID();
    const socket = open({ token: t.tokens.sign({ sub: id, name: 'Short' }, { expiresInSeconds: 1 }) });
    await connected(socket);
    let expired = false;
    socket.on('session:expired', () => (expired = true));
    await waitFor(socket, () => expired, 'session:expired');
    const fresh = t.tokens.sign({ sub: id, name: 'Short' });
    expect(await socket.timeout(5000).emitWithAck('session:refresh', { token: fresh })).toEqual({ ok: true, userId: id });
    const bad = await socket.timeout(5000).emitWithAck('session:refresh', { token: 'garbage' });
    expect(bad).toEqual({ ok: false, error: expect.objectContaining({ code: 'invalid_token' }) });
  });
});

describe('where a socket comes from', () => {
  it("refuses a handshake from an origin no site allows", async () => {
    const error = await refusal(open({ origin: 'https://evil.example' }));
    expect(error.message).toMatch(/forbidden|unauthorized|refused|xhr|websocket/i);
  });

  it("accepts a site's own origin, and refuses joining another site's article from it", async () => {
    const socket = open({ origin: publisher });
    await connected(socket);
    expect(await joinArticle(socket, { site, article: newArticleKey() })).toEqual(expect.objectContaining({ ok: true }));
    const other = await createSite(t.db, { id: `site-${randomUUID()}`, origins: ['https://other.example'] });
    const refused = await joinArticle(socket, { site: other.id, article: newArticleKey() });
    expect(refused).toEqual({ ok: false, error: expect.objectContaining({ code: 'origin_not_allowed' }) });
  });
});

describe('abuse', () => {
  it('closes a socket that sends an oversized message, and keeps serving others', async () => {
    const big = open();
    const bystander = open();
    await Promise.all([connected(big), connected(bystander)]);
    const closed = new Promise<string>((resolve) => big.once('disconnect', resolve));
    big.emit('article:join', { site, article: 'x'.repeat(100_000) } as never, () => {});
    expect(await closed).toMatch(/transport/);
    expect(await joinArticle(bystander, { site, article: newArticleKey() })).toEqual(expect.objectContaining({ ok: true }));
  });

  it('drops a flood with live:error rate_limited, then disconnects a socket that keeps going', async () => {
    const flooder = open();
    await connected(flooder);
    const errors: string[] = [];
    flooder.on('live:error', (error) => errors.push(error.code));
    const disconnected = new Promise<string>((resolve) => flooder.once('disconnect', resolve));
    for (let i = 0; i < 20; i++) flooder.emit('article:leave', { site, article: 'a' });
    expect(await disconnected).toBe('io server disconnect');
    expect(errors).toEqual(['rate_limited']);
  });
});
