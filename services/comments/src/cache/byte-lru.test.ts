import { ByteLru } from './byte-lru';

describe('ByteLru', () => {
  it('evicts the least recently used entries to stay within its bytes', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 40);
    lru.set('b', 'B', 40);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 40);
    expect(lru.get('b')).toBeUndefined();
    expect([lru.get('a'), lru.get('c')]).toEqual(['A', 'C']);
    expect({ bytes: lru.bytes, size: lru.size, evictions: lru.evictions }).toEqual({ bytes: 80, size: 2, evictions: 1 });
  });

  it('counts growth of an entry, and never stores one bigger than the budget', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 30);
    lru.set('b', 'B', 30);
    lru.resize('b', 'B', 60);
    expect(lru.bytes).toBe(90);
    lru.resize('a', 'A', 50); // 110: the coldest other entry goes
    expect(lru.get('b')).toBeUndefined();
    expect(lru.bytes).toBe(50);
    lru.resize('a', 'not the stored value', 10);
    expect(lru.bytes).toBe(50);
    lru.set('huge', 'H', 101);
    expect(lru.get('huge')).toBeUndefined();
    expect(lru.bytes).toBe(50);
  });

  it('replaces an entry under the same key and holds nothing with a budget of 0', () => {
    const lru = new ByteLru<string>(100);
    lru.set('a', 'A', 30);
    lru.set('a', 'A2', 20);
    expect([lru.get('a'), lru.bytes, lru.size]).toEqual(['A2', 20, 1]);
    const off = new ByteLru<string>(0);
    off.set('a', 'A', 1);
    expect(off.size).toBe(0);
  });
});
