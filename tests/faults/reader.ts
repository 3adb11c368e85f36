import { io, type Socket } from 'socket.io-client';
import type { ArticleEvent, ArticleSeqEvent, ClientToServerEvents, JoinAck, ServerToClientEvents } from '@parley/contracts';

/**
 * A live reader as the widget behaves (packages/widget/src/live-sync.ts), through the gateway:
 * applies pushes in seq order, drops duplicates, rejoins from its last seq on a gap, on a heartbeat
 * ahead of it and after every reconnect. Counts why it joined, so a test can tell catch-ups caused
 * by the service (out-of-order or missing pushes) from those caused by a real disconnect.
 */
export class Reader {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  last = 0;
  /** Every seq applied, in order (a seq applied twice or out of order would show here). */
  readonly applied: number[] = [];
  /** Joins because a push skipped a seq or a heartbeat was ahead. */
  catchUpJoins = 0;
  /** Joins after the socket (re)connected. */
  connectJoins = 0;
  resyncs = 0;
  /** When the socket last connected (ms since the epoch). */
  connectedAt = 0;
  /** When each seq was applied (ms since the epoch). */
  readonly appliedAt = new Map<number, number>();
  private joining = false;
  private again = false;
  private queued: ArticleEvent[] = [];

  constructor(
    gatewayUrl: string,
    private readonly where: { site: string; article: string },
  ) {
    this.socket = io(gatewayUrl, {
      path: '/socket.io/',
      transports: ['websocket'],
      forceNew: true,
      reconnectionDelay: 100,
      reconnectionDelayMax: 500,
      randomizationFactor: 0.2,
    });
    this.socket.on('connect', () => {
      this.connectedAt = Date.now();
      this.connectJoins += 1;
      void this.join();
    });
    const push = (event: ArticleEvent) => this.push(event);
    this.socket.on('comment:created', push);
    this.socket.on('comment:updated', push);
    this.socket.on('comment:removed', push);
    this.socket.on('reaction:updated', push);
    this.socket.on('article:updated', push);
    this.socket.on('article:seq', (event: ArticleSeqEvent) => {
      if (!this.joining && event.seq > this.last) {
        this.catchUpJoins += 1;
        void this.join();
      }
    });
  }

  /** Resolves once the first join was answered. */
  async ready(): Promise<void> {
    while (this.connectJoins === 0 || this.joining) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private push(event: ArticleEvent): void {
    if (this.joining) {
      this.queued.push(event);
      return;
    }
    if (event.seq <= this.last) return;
    if (event.seq === this.last + 1) return this.apply(event.seq);
    this.catchUpJoins += 1;
    this.queued.push(event);
    void this.join();
  }

  private apply(seq: number): void {
    this.last = seq;
    this.applied.push(seq);
    this.appliedAt.set(seq, Date.now());
  }

  private async join(): Promise<void> {
    if (this.joining) {
      this.again = true;
      return;
    }
    this.joining = true;
    try {
      do {
        this.again = false;
        let ack: JoinAck;
        try {
          ack = await this.socket.timeout(5000).emitWithAck('article:join', { ...this.where, sinceSeq: this.last });
        } catch {
          // Timed out (the node died under the join): the reconnect joins again.
          return;
        }
        if (!ack.ok) return;
        if (ack.resync) {
          // The widget would reload the thread; here it only counts (a test expects none).
          this.resyncs += 1;
          return;
        }
        for (const event of ack.events) if (event.seq === this.last + 1) this.apply(event.seq);
        const queued = this.queued.sort((a, b) => a.seq - b.seq);
        this.queued = [];
        for (const event of queued) {
          if (event.seq <= this.last) continue;
          if (event.seq === this.last + 1) this.apply(event.seq);
          else {
            this.again = true;
            break;
          }
        }
        if (ack.seq > this.last) this.again = true;
      } while (this.again);
    } finally {
      this.joining = false;
    }
  }

  /** True when every seq 1..seq was applied exactly once, in order. */
  hasEverythingUpTo(seq: number): boolean {
    return this.last === seq && this.applied.length === seq && this.applied.every((applied, i) => applied === i + 1);
  }

  close(): void {
    this.socket.removeAllListeners();
    this.socket.disconnect();
  }
}
