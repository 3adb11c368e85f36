import request from 'supertest';
import { listen, listenMetrics, silentLogger } from '@parley/platform';
import { createCommentsApp } from '../app';
import { loadCommentsConfig } from '../config';
import { acceptingMailbox, connectSocket, connected, joinArticle, newArticleKey, newSite, newUser, postComment, startTestApp, type TestApp } from '../test-support';

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

it('exposes open sockets, article rooms, published events and request latency on the metrics listener only', async () => {
  // A live node as main.ts runs one: the public app on one listener, its metrics on another.
  const node = createCommentsApp({
    config: loadCommentsConfig({ COMMENT_RATE_LIMIT: '1000' }),
    database: t.source,
    logger: silentLogger(),
    tokenVerifier: t.tokens.verifier,
    mailbox: acceptingMailbox,
    clock: t.clock.now,
  });
  const server = await listen(node.app, 0);
  const metrics = await listenMetrics([node.metrics], 0);
  await node.attach(server.server);
  const socket = connectSocket(`http://127.0.0.1:${server.port}`);
  try {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    await connected(socket);
    await joinArticle(socket, where);
    await postComment(node.app, newUser(t.tokens), where);
    await request(node.app).get('/metrics').expect(404);

    const text = (await request(`http://127.0.0.1:${metrics.port}`).get('/metrics').expect(200)).text;
    expect(text).toContain('live_sockets{service="comments"} 1');
    expect(text).toContain('live_rooms{service="comments"} 1');
    expect(text).toContain('live_events_published_total{type="comment:created",service="comments"} 1');
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/sites\/:site\/articles\/:article\/comments",status="201"/);
    expect(text).toMatch(/db_pool_connections\{service="comments"\} \d+/);
  } finally {
    socket.disconnect();
    await metrics.close();
    await node.stop();
    await server.close();
  }
});
