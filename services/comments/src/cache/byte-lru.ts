/**
 * A map bounded by the bytes of what it holds, evicting the least recently used entries first.
 * A Map keeps insertion order, so re-inserting on every hit keeps the coldest entry first.
 * An entry's size may grow after it is stored (a compressed variant added later): `resize` says so.
 */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private used = 0;
  evictions = 0;

  constructor(private readonly maxBytes: number) {}

  get bytes(): number {
    return this.used;
  }

  get size(): number {
    return this.entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** Stores `value`; one bigger than the whole budget is not stored at all. */
  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.maxBytes) return;
    this.entries.set(key, { value, bytes });
    this.used += bytes;
    this.evict();
  }

  /** The entry under `key` now takes `bytes` (if it is still `value`), and counts as just used. */
  resize(key: string, value: V, bytes: number): void {
    const entry = this.entries.get(key);
    if (!entry || entry.value !== value) return;
    // Growing because it was just used (compressed for a request): the most recent now.
    this.entries.delete(key);
    this.entries.set(key, entry);
    this.used += bytes - entry.bytes;
    entry.bytes = bytes;
    if (entry.bytes > this.maxBytes) this.delete(key);
    this.evict();
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.used -= entry.bytes;
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.used <= this.maxBytes) break;
      this.entries.delete(key);
      this.used -= entry.bytes;
      this.evictions += 1;
    }
  }
}
