/**
 * Shares reads between concurrent callers without ever answering with something read before the
 * caller asked. A read already on its way may have left before a write the caller has seen
 * committed (another node's 2xx), so joining it could hide that write. Instead, callers that
 * arrive while a read of the same key is in flight wait for the next one, sent as soon as the
 * current one is back: every answer comes from a read that started after its caller arrived, and
 * a hot key costs at most one read per round trip however many requests ask.
 */
export function freshReads<V>(read: (key: string) => Promise<V>): (key: string) => Promise<V> {
  interface Batch {
    promise: Promise<V>;
    resolve(value: V): void;
    reject(error: unknown): void;
  }
  const inFlight = new Set<string>();
  const queued = new Map<string, Batch>();

  function send(key: string): void {
    const batch = queued.get(key);
    if (!batch) return;
    queued.delete(key);
    inFlight.add(key);
    read(key)
      .then(batch.resolve, batch.reject)
      .finally(() => {
        inFlight.delete(key);
        send(key);
      });
  }

  return (key) => {
    let batch = queued.get(key);
    if (!batch) {
      let resolve!: (value: V) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<V>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      batch = { promise, resolve, reject };
      queued.set(key, batch);
      if (!inFlight.has(key)) send(key);
    }
    return batch.promise;
  };
}
