import type { ThreadPage } from '@parley/contracts';
import { createThreadPageCache } from './thread-page-cache';

const page = (id: string, body = ''): ThreadPage => ({
  article: { site: 's', key: 'a', title: null, url: null, state: 'open', commentCount: 1, seq: 1 },
  comments: [
    {
      id,
      parentId: null,
      rootId: null,
      depth: 0,
      author: { id: 'u', name: 'U' },
      body,
      html: body,
      status: 'published',
      replyCount: 0,
      reactionCount: 0,
      createdAt: new Date(0).toISOString(),
      editedAt: null,
      replies: [],
    },
  ],
  nextCursor: null,
});

describe('createThreadPageCache', () => {
  it('builds a page once for all who ask for the same version at once, and again for a new version', async () => {
    const cache = createThreadPageCache({ maxBytes: 1_000_000 });
    let builds = 0;
    const build = async () => {
      builds += 1;
      return page(`c${builds}`);
    };
    const v1 = { tag: 'v1', seq: 1 };
    const together = await Promise.all([cache.page('k', v1, build), cache.page('k', v1, build), cache.page('k', v1, build)]);
    expect(builds).toBe(1);
    expect(new Set(together).size).toBe(1);
    expect(await cache.page('k', v1, build)).toBe(together[0]);
    const v2 = await cache.page('k', { tag: 'v2', seq: 2 }, build);
    expect(builds).toBe(2);
    expect(v2.ids).toEqual(['c2']);
    // An older version built late does not replace the newer page.
    await cache.page('k', { tag: 'v0', seq: 0 }, build);
    expect(await cache.page('k', { tag: 'v2', seq: 2 }, build)).toBe(v2);
    expect(builds).toBe(3);
  });

  it('stays within its bytes, compressed copies included, evicting the least recently used pages', async () => {
    const big = 'x'.repeat(10_000); // body and html: about 20 KB a page
    const cache = createThreadPageCache({ maxBytes: 50_000 });
    const v = { tag: 'v', seq: 1 };
    const a = await cache.page('a', v, async () => page('a', big));
    await a.body('gzip');
    await cache.page('b', v, async () => page('b', big));
    expect(cache.stats().entries).toBe(2);
    await cache.page('c', v, async () => page('c', big));
    expect(cache.stats().bytes).toBeLessThanOrEqual(50_000);
    expect(cache.stats().evictions).toBeGreaterThanOrEqual(1);
    let rebuilt = false;
    await cache.page('a', v, async () => {
      rebuilt = true;
      return page('a', big);
    });
    expect(rebuilt).toBe(true);
  });

  it('compresses once per encoding and skips pages too small to be worth it', async () => {
    const cache = createThreadPageCache({ maxBytes: 1_000_000 });
    const large = await cache.page('l', { tag: 'v', seq: 1 }, async () => page('l', 'y'.repeat(5000)));
    const br = await large.body('br');
    expect(await large.body('br')).toBe(br);
    expect(br.length).toBeLessThan(large.json.length);
    const small = await cache.page('s', { tag: 'v', seq: 1 }, async () => page('s'));
    expect(small.compressible).toBe(false);
    expect(await small.body('br')).toBe(small.json);
  });

  it('passes a failed build to its callers and tries again on the next request', async () => {
    const cache = createThreadPageCache({ maxBytes: 1_000_000 });
    const v = { tag: 'v', seq: 1 };
    await expect(cache.page('k', v, async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    expect((await cache.page('k', v, async () => page('ok'))).ids).toEqual(['ok']);
  });
});
