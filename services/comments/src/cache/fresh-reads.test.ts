import { freshReads } from './fresh-reads';

/** A read whose answers the test hands out by hand, in order. */
function manualRead() {
  const calls: { key: string; answer(value: number): void; fail(error: Error): void }[] = [];
  const read = (key: string) =>
    new Promise<number>((resolve, reject) => calls.push({ key, answer: resolve, fail: reject }));
  return { read, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('freshReads', () => {
  it('answers each caller from a read sent after it asked, sharing that read with those who asked with it', async () => {
    const { read, calls } = manualRead();
    const fresh = freshReads(read);
    const first = fresh('a');
    expect(calls).toHaveLength(1);
    // Asked while the first read is out: they must not get its (possibly older) answer.
    const second = fresh('a');
    const third = fresh('a');
    expect(calls).toHaveLength(1);
    calls[0]!.answer(1);
    expect(await first).toBe(1);
    await tick();
    expect(calls).toHaveLength(2);
    calls[1]!.answer(2);
    expect([await second, await third]).toEqual([2, 2]);
  });

  it('reads different keys independently and passes a failure to that read\'s callers only', async () => {
    const { read, calls } = manualRead();
    const fresh = freshReads(read);
    const a = fresh('a');
    const b = fresh('b');
    expect(calls.map((call) => call.key)).toEqual(['a', 'b']);
    calls[0]!.fail(new Error('database down'));
    calls[1]!.answer(5);
    await expect(a).rejects.toThrow('database down');
    expect(await b).toBe(5);
    const again = fresh('a');
    calls[2]!.answer(6);
    expect(await again).toBe(6);
  });
});
