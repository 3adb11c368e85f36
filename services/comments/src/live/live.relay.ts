import type { ArticleEvent } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import type { Db } from '../database/tables';
import { articleSeqs, listEventsOfArticleKey } from '../events/events.repository';

/**
 * Each node's live relay: pushes to *its own* readers what the `article_events` log holds, per
 * article room in `seq` order, at least once (ADR 0014). It is woken when a write on this node
 * commits (in-process) and when any node's write commits (PostgreSQL NOTIFY, see ArticleEventFeed),
 * and every `heartbeatMs` it checks the log itself for the rooms it watches, so an event is pushed
 * even when the node that wrote it died right after the commit or a notification was lost. Nothing
 * here goes through Redis: every node reads the log, so pushes survive a Redis outage and no two
 * nodes' pushes can overtake each other.
 */
export interface LiveRelay {
  /**
   * A reader of this node joined the room and was told the article was at `seq`: follow the room
   * from there (if not already followed) and look once for what may have committed meanwhile.
   */
  watch(site: string, article: string, seq: number): void;
  /** The room has no reader left on this node. */
  forget(site: string, article: string): void;
  /** The log may hold events of the room up to `seq` (a hint; unknown rooms are ignored). */
  wake(site: string, article: string, seq?: number): void;
  /** Check every followed room against the log now (after a missed-notification window). */
  checkAll(): Promise<void>;
  /** The room's seq as last pushed (tests, metrics). */
  pushedSeq(site: string, article: string): number | undefined;
  readonly rooms: number;
  close(): Promise<void>;
}

export interface RelayDeps {
  db: Db;
  logger: Logger;
  /** Emits on this node only (never through the adapter, which would wait for Redis). */
  emit(event: ArticleEvent): void;
  heartbeat(event: { site: string; article: string; seq: number }): void;
  heartbeatMs: number;
  /** Most events read per query; a room further behind is read in several. */
  batch?: number;
  now?: () => number;
}

interface Followed {
  site: string;
  article: string;
  /** The last seq pushed to this node's readers. */
  seq: number;
  reading: Promise<void> | undefined;
  again: boolean;
  lastPushAt: number;
}

const roomKey = (site: string, article: string) => `${site}/${article}`;

export function createLiveRelay(deps: RelayDeps): LiveRelay {
  const followed = new Map<string, Followed>();
  const batch = deps.batch ?? 200;
  const now = deps.now ?? Date.now;
  let closed = false;

  function read(room: Followed): Promise<void> {
    if (room.reading) {
      room.again = true;
      return room.reading;
    }
    room.reading = (async () => {
      do {
        room.again = false;
        let events;
        try {
          events = await listEventsOfArticleKey(deps.db, room.site, room.article, room.seq, batch);
        } catch (error) {
          // The next wake or heartbeat tries again; readers lose nothing meanwhile (the log has it).
          deps.logger.warn({ err: (error as Error).message }, 'live relay could not read the event log');
          return;
        }
        // Forgotten (or closed) while reading: nobody to push to.
        if (closed || followed.get(roomKey(room.site, room.article)) !== room) return;
        for (const { seq, change } of events) {
          if (seq <= room.seq) continue;
          room.seq = seq;
          try {
            deps.emit({ site: room.site, article: room.article, seq, ...change } as ArticleEvent);
          } catch (error) {
            deps.logger.warn({ err: (error as Error).message, seq }, 'live event not pushed');
          }
        }
        if (events.length > 0) room.lastPushAt = now();
        if (events.length === batch) room.again = true;
      } while (room.again);
    })().finally(() => {
      room.reading = undefined;
    });
    return room.reading;
  }

  async function checkAll(): Promise<void> {
    const rooms = [...followed.values()];
    for (let start = 0; start < rooms.length; start += 500) {
      const chunk = rooms.slice(start, start + 500);
      let seqs;
      try {
        seqs = await articleSeqs(deps.db, chunk);
      } catch (error) {
        deps.logger.warn({ err: (error as Error).message }, 'live relay could not check the article seqs');
        return;
      }
      const reads: Promise<void>[] = [];
      for (const { site, article, seq } of seqs) {
        const room = followed.get(roomKey(site, article));
        if (room && seq > room.seq) reads.push(read(room));
      }
      await Promise.all(reads);
    }
  }

  // One timer for every room: check the log, then tell quiet rooms where their article stands.
  let ticking = false;
  const ticker = setInterval(() => {
    if (ticking || closed) return;
    ticking = true;
    checkAll()
      .then(() => {
        const quietSince = now() - deps.heartbeatMs;
        for (const room of followed.values()) {
          if (room.lastPushAt <= quietSince && !room.reading) deps.heartbeat({ site: room.site, article: room.article, seq: room.seq });
        }
      })
      .finally(() => {
        ticking = false;
      });
  }, deps.heartbeatMs);
  ticker.unref();

  return {
    watch(site, article, seq) {
      const key = roomKey(site, article);
      if (followed.has(key) || closed) return;
      const room: Followed = { site, article, seq, reading: undefined, again: false, lastPushAt: now() };
      followed.set(key, room);
      // What committed between the reader's read and now had no follower here to wake.
      void read(room);
    },
    forget(site, article) {
      followed.delete(roomKey(site, article));
    },
    wake(site, article, seq) {
      const room = followed.get(roomKey(site, article));
      if (!room || closed || (seq !== undefined && seq <= room.seq)) return;
      void read(room);
    },
    checkAll,
    pushedSeq: (site, article) => followed.get(roomKey(site, article))?.seq,
    get rooms() {
      return followed.size;
    },
    async close() {
      closed = true;
      clearInterval(ticker);
      await Promise.all([...followed.values()].map((room) => room.reading));
      followed.clear();
    },
  };
}
