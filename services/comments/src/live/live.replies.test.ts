import { liveFixture, joinArticle, newArticleKey, newSite, newUser, postComment, recordEvents, waitFor, type TestSocket } from '../test-support';

/**
 * "New reply to you" (issue 16): a reply's parent author hears of it on every socket identified as
 * them, wherever they are reading; nobody else does. Posted through the live node: the notice is a
 * signal of the writing node (other nodes hear it through Redis, live.redis.test.ts).
 */
const live = liveFixture();

/** A round trip on the socket: whatever the server sent it before has arrived once this resolves. */
const settle = (socket: TestSocket) => joinArticle(socket, { site: 'no-such-site', article: 'x' }).catch(() => undefined);
const notices = (seen: ReturnType<typeof recordEvents>) => seen.filter((event) => event.type === 'reply:received').map((event) => event.payload);

describe('reply:received', () => {
  it('tells the parent’s author, on another article too, and not the replier or an anonymous reader', async () => {
    const { t } = live;
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const alice = newUser(t.tokens, 'Alice');
    const bob = newUser(t.tokens, 'Bob');
    // Alice reads another article of the site: the notice finds her by who she is, not where.
    const [aliceSocket, bobSocket, anonymous] = [await live.socket({ token: alice.token }), await live.socket({ token: bob.token }), await live.socket()];
    await joinArticle(aliceSocket, { site: where.site, article: newArticleKey() });
    await joinArticle(anonymous, where);
    const [toAlice, toBob, toAnonymous] = [recordEvents(aliceSocket), recordEvents(bobSocket), recordEvents(anonymous)];

    const question = await postComment(live.node.app, alice, where, { body: 'A question.', url: 'https://news.example.com/story' });
    const answer = await postComment(live.node.app, bob, where, { parentId: question.id, body: 'An answer.' });
    await waitFor(aliceSocket, () => notices(toAlice).length >= 1, 'the reply notice');
    expect(notices(toAlice)).toEqual([{ site: where.site, article: where.article, commentId: answer.id, url: 'https://news.example.com/story' }]);

    await Promise.all([settle(bobSocket), settle(anonymous)]);
    expect(notices(toBob)).toEqual([]);
    expect(notices(toAnonymous)).toEqual([]);
  });

  it('says nothing when someone replies to themselves', async () => {
    const { t } = live;
    const where = { site: await newSite(t.db), article: newArticleKey() };
    const alice = newUser(t.tokens, 'Alice');
    const bob = newUser(t.tokens, 'Bob');
    const aliceSocket = await live.socket({ token: alice.token });
    const toAlice = recordEvents(aliceSocket);

    const mine = await postComment(live.node.app, alice, where, { body: 'A thought.' });
    await postComment(live.node.app, alice, where, { parentId: mine.id, body: 'And a second one.' });
    // Bob's reply comes after Alice's own: once its notice is here, hers would have been too.
    const bobs = await postComment(live.node.app, bob, where, { parentId: mine.id, body: 'A reply.' });
    await waitFor(aliceSocket, () => notices(toAlice).length >= 1, 'the notice of Bob’s reply');
    await settle(aliceSocket);
    expect(notices(toAlice).map((notice) => notice.commentId)).toEqual([bobs.id]);
  });
});
