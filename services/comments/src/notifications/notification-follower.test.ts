import { randomUUID } from 'node:crypto';
import { newArticleKey, newSite, newUser, postComment, startTestApp, type TestApp } from '../test-support';
import { claimLease, releaseLease } from './notifications.repository';

/**
 * Reply notices are read from the event log with a durable cursor (ADR 0022): none is lost to an
 * unreachable auth or a stopped node, none is handed over twice across a restart, and one node
 * follows at a time. (Through real auth and SMTP: tests/e2e/notification-durability.test.ts.)
 */
let t: TestApp;
beforeAll(async () => {
  // Passes start only when a test posts or asks (no 5 s poll between), so each test knows what runs.
  t = await startTestApp({ NOTIFICATIONS_POLL_SECONDS: '300' }, { ownDatabase: true });
});
afterAll(() => t.close());

const noticesFor = (replyId: string) => t.replyNotices.filter((notice) => notice.replyId === replyId);

async function replyTo(app: TestApp['app']) {
  const where = { site: await newSite(t.db), article: newArticleKey() };
  const parent = await postComment(app, newUser(t.tokens, 'Ann'), where);
  return postComment(app, newUser(t.tokens, 'Bob'), where, { parentId: parent.id });
}

it('keeps a reply committed while auth is unreachable, and hands it over once when auth answers again', async () => {
  t.setAuthReachable(false);
  const reply = await replyTo(t.app);
  await t.notificationsIdle();
  expect(noticesFor(reply.id)).toEqual([]);

  t.setAuthReachable(true);
  await t.notificationsIdle();
  expect(noticesFor(reply.id)).toHaveLength(1);
  await t.notificationsIdle();
  expect(noticesFor(reply.id)).toHaveLength(1);
});

it('drops a notice auth refuses for good (4xx), and goes on with the next', async () => {
  t.setAuthReachable('refusing');
  const refused = await replyTo(t.app);
  await t.notificationsIdle();
  t.setAuthReachable(true);
  const next = await replyTo(t.app);
  await t.notificationsIdle();
  expect(noticesFor(refused.id)).toEqual([]);
  expect(noticesFor(next.id)).toHaveLength(1);
});

it('notices a reply committed while the following node is dead once the lease runs out, by the node that takes over', async () => {
  // No pass of ours is under way (one that had claimed the lease would still hand over what it reads).
  await t.notificationsIdle();
  // Another node took the lease and died without giving it up.
  await t.db.updateTable('notification_cursor').set({ holder: `dead-${randomUUID()}`, lease_until: new Date(t.clock.now().getTime() + 30_000) }).execute();
  const reply = await replyTo(t.app);
  await t.notificationsIdle();
  expect(noticesFor(reply.id)).toEqual([]);

  t.clock.advance(31);
  await t.notificationsIdle();
  expect(noticesFor(reply.id)).toHaveLength(1);
});

it('never hands a reply over twice across a restart', async () => {
  const second = t.node();
  const reply = await replyTo(second.app);
  await t.notificationsIdle();
  expect(noticesFor(reply.id)).toHaveLength(1);

  // Both nodes go and a new one starts: it follows from the cursor, not from the start of the log.
  await second.stop();
  const third = t.node();
  const later = await replyTo(third.app);
  await t.notificationsIdle();
  expect(noticesFor(reply.id)).toHaveLength(1);
  expect(noticesFor(later.id)).toHaveLength(1);
});

describe('the lease', () => {
  it('lets one node follow at a time, and another take over once it runs out or is given up', async () => {
    // Its own cursor row would be the real one: use the real row, but only while nobody holds it.
    const a = `node-${randomUUID()}`;
    const b = `node-${randomUUID()}`;
    const now = new Date(Date.now() + 3_600_000);
    // Far in the future, so any lease of the running nodes has run out.
    expect(await claimLease(t.db, a, now, 30_000)).toBeDefined();
    expect(await claimLease(t.db, b, now, 30_000)).toBeUndefined();
    expect(await claimLease(t.db, b, new Date(now.getTime() + 29_000), 30_000)).toBeUndefined();
    expect(await claimLease(t.db, a, new Date(now.getTime() + 29_000), 30_000)).toBeDefined();
    expect(await claimLease(t.db, b, new Date(now.getTime() + 60_000), 30_000)).toBeDefined();
    await releaseLease(t.db, b);
    expect(await claimLease(t.db, a, now, 30_000)).toBeDefined();
    await releaseLease(t.db, a);
  });
});
