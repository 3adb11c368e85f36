import type { ArticleEvent, JoinAck } from '@parley/contracts';
import type { ThreadStore } from './thread-store';

export interface LiveSyncDeps {
  store: ThreadStore;
  /** Emits `article:join {site, article, sinceSeq}` and resolves with the ack. */
  join(sinceSeq: number): Promise<JoinAck>;
  /** Reloads the first page of the thread into the store (a `resync`). */
  reload(): Promise<void>;
  onError?(error: unknown): void;
}

/**
 * Keeps the store in step with the live stream without losing or doubling anything: pushes are
 * applied in seq order; while a (re)join is in flight pushes queue up and are replayed after the
 * ack's events; a gap, or a heartbeat announcing a later seq, triggers a rejoin from the last
 * applied seq; `resync` reloads the thread.
 */
export class LiveSync {
  private joining: Promise<void> | null = null;
  private queued: ArticleEvent[] = [];
  private again = false;

  constructor(private readonly deps: LiveSyncDeps) {}

  /** Join (or rejoin after a reconnect) from the last applied seq. */
  join(): Promise<void> {
    if (this.joining) {
      this.again = true;
      return this.joining;
    }
    this.joining = this.run().finally(() => {
      this.joining = null;
    });
    return this.joining;
  }

  /** Resolves once no (re)join is in flight. */
  async idle(): Promise<void> {
    while (this.joining) await this.joining;
  }

  /** A pushed event from the socket. */
  push(event: ArticleEvent): void {
    if (this.joining) {
      this.queued.push(event);
      return;
    }
    const outcome = this.deps.store.applyEvent(event);
    if (outcome === 'gap') {
      this.queued.push(event);
      void this.join();
    } else if (outcome === 'applied' && wholesale(event)) {
      void this.deps.reload().catch((error: unknown) => this.deps.onError?.(error));
    }
  }

  /**
   * A quiet room's heartbeat: the article is at `seq` as far as the node pushed. Further than what
   * was applied means a push went missing (a node died after its commit, Redis or the network
   * blipped): catch up now instead of waiting for the next event to reveal the gap.
   */
  heartbeat(seq: number): void {
    if (this.joining) return;
    if (seq > this.deps.store.lastSeq) void this.join();
  }

  private async run(): Promise<void> {
    const { store } = this.deps;
    do {
      this.again = false;
      try {
        const ack = await this.deps.join(store.lastSeq);
        if (!ack.ok) throw Object.assign(new Error(ack.error.message), { code: ack.error.code });
        let resync = ack.resync;
        if (!resync) {
          for (const event of ack.events) if (store.applyEvent(event) === 'gap' || wholesale(event)) resync = true;
          // The ack says the article is further along than anything we could apply: start over.
          if (store.lastSeq < ack.seq) resync = true;
        }
        if (resync) await this.deps.reload();
      } catch (error) {
        this.deps.onError?.(error);
        this.queued = [];
        return;
      }
      const queued = this.queued.sort((a, b) => a.seq - b.seq);
      this.queued = [];
      for (const event of queued) {
        if (store.applyEvent(event) === 'gap') {
          this.again = true;
          break;
        }
      }
    } while (this.again);
  }
}

/** An import rewrote the thread: one event says so, and the thread is reloaded instead of patched. */
const wholesale = (event: ArticleEvent) => event.type === 'article:updated' && event.resync === true;
