import request from 'supertest';
import {
  connectSocket,
  connected,
  joinArticle,
  newArticleKey,
  newSite,
  newUser,
  postComment,
  startLiveNode,
  startTestApp,
  type TestApp,
} from '../test-support';

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

it('exposes open sockets, article rooms, published events and request latency', async () => {
  const node = await startLiveNode(t.source, t.tokens, {}, t.clock.now);
  const socket = connectSocket(node.url);
  try {
    const where = { site: await newSite(t.db), article: newArticleKey() };
    await connected(socket);
    await joinArticle(socket, where);
    await postComment(node.app, newUser(t.tokens), where);
    const text = (await request(node.app).get('/metrics').expect(200)).text;
    expect(text).toContain('live_sockets{service="comments"} 1');
    expect(text).toContain('live_rooms{service="comments"} 1');
    expect(text).toContain('live_events_published_total{type="comment:created",service="comments"} 1');
    expect(text).toMatch(/http_request_duration_seconds_count\{[^}]*route="\/api\/sites\/:site\/articles\/:article\/comments",status="201"/);
    expect(text).toMatch(/db_pool_connections\{service="comments"\} \d+/);
  } finally {
    socket.disconnect();
    await node.stop();
  }
});
