import request from 'supertest';
import { bearer, newArticleKey, newSite, newUser, postComment, startTestApp, type TestApp } from '../test-support';

/**
 * Moderators' queue mail, comments' side (ADR 0022): once per window (FOLLOW_DIGEST_MINUTES, 30
 * here) the comments that entered the queues are counted per site and handed to auth, which picks
 * the staff who opted in (services/auth/src/notifications/notifications.test.ts).
 */
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({}, { ownDatabase: true });
  // The first pass opens the first window (nothing from before it is counted).
  await t.notificationsIdle();
});
afterAll(() => t.close());

const countsFor = (sites: string[]) =>
  t.queueNotices.map((notice) => notice.sites.filter((site) => sites.includes(site.siteId)).map((site) => [site.siteId, site.newItems])).filter((found) => found.length > 0);

it('counts held and newly reported comments per site, once per window', async () => {
  const held = await newSite(t.db, { settings: { premoderation: true } });
  const open = await newSite(t.db);
  const quiet = await newSite(t.db);
  await postComment(t.app, newUser(t.tokens), { site: held, article: newArticleKey() });
  await postComment(t.app, newUser(t.tokens), { site: held, article: newArticleKey() });
  const reported = await postComment(t.app, newUser(t.tokens), { site: open, article: newArticleKey() });
  await postComment(t.app, newUser(t.tokens), { site: quiet, article: newArticleKey() });
  await request(t.app).post(`/api/comments/${reported.id}/reports`).set(bearer(newUser(t.tokens))).send({ reason: 'spam' }).expect(201);
  await t.notificationsIdle();
  expect(countsFor([held, open, quiet])).toEqual([]);

  t.clock.advance(31 * 60);
  await t.notificationsIdle();
  expect(countsFor([held, open, quiet])).toEqual([[[held, 2], [open, 1]].sort()]);
  expect(t.queueNotices.at(-1)!.sites.find((site) => site.siteId === held)!.siteName).toBe('Test Gazette');

  // Nothing new in the next window: no second notice about these sites.
  t.clock.advance(31 * 60);
  await t.notificationsIdle();
  expect(countsFor([held, open, quiet])).toHaveLength(1);
});

it('waits while auth is unreachable, then hands the window over', async () => {
  const held = await newSite(t.db, { settings: { premoderation: true } });
  t.clock.advance(31 * 60);
  await t.notificationsIdle();
  await postComment(t.app, newUser(t.tokens), { site: held, article: newArticleKey() });
  t.setAuthReachable(false);
  t.clock.advance(31 * 60);
  await t.notificationsIdle();
  expect(countsFor([held])).toEqual([]);
  t.setAuthReachable(true);
  await t.notificationsIdle();
  expect(countsFor([held])).toEqual([[[held, 1]]]);
});
