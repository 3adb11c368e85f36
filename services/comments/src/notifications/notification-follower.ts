import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { digestMaxComments, type DigestNotificationRequest, type ReplyNotificationRequest } from '@parley/contracts';
import type { Logger } from '@parley/platform';
import { findComment } from '../comments/comments.repository';
import { isTombstone } from '../comments/comments.presenter';
import type { CommentsDatabase } from '../database/tables';
import { PermanentRefusal, type AuthMailbox } from './auth-mailbox';
import {
  advanceCursor,
  claimLease,
  deleteBatch,
  hasUnsettled,
  listCreatedAfter,
  listDueBatches,
  countNewQueueItems,
  openQueueWindow,
  queueWindow,
  queueDigestItems,
  readBatch,
  releaseLease,
  type CreatedEvent,
  type DueBatch,
  type LogPosition,
} from './notifications.repository';

/**
 * Mail about discussions, read from the `article_events` log with a durable cursor (ADR 0022):
 * reply notices and followers' digests. One comments node at a time follows (a lease on the
 * cursor row, renewed as it goes; another node takes over when it runs out), and the cursor moves
 * past an event only once auth accepted its notice, so a crash, a stopped node or an unreachable
 * auth delays mail but loses none. Auth's dedupe keys make a notice handed over twice (a node that
 * died between auth's answer and the cursor update) one mail.
 */
export interface NotificationFollower {
  /** A write of this node committed: follow the log now (only the lease holder acts at once). */
  wake(): void;
  /** One full pass now, whoever held the lease last (tests, and after start). */
  runNow(): Promise<void>;
  /** Resolves when no pass is running or asked for (tests). */
  idle(): Promise<void>;
  /** Stops following and gives the lease up, so another node takes over at its next check. */
  stop(): Promise<void>;
}

export interface FollowerDeps {
  db: Kysely<CommentsDatabase>;
  mailbox: AuthMailbox;
  logger: Logger;
  clock: () => Date;
  /** How long a follower's batch stays open: at most one digest per follower and discussion this often. */
  digestWindowMs: number;
  /** How often every node checks the log (the holder for other nodes' writes, the others for a lease run out). */
  pollMs: number;
  leaseMs?: number;
}

const excerptOf = (body: string) => (body.length > 300 ? `${body.slice(0, 297).trimEnd()}…` : body);
const batchSize = 100;

/** Why a pass ended early: auth is unreachable (try again later), or the lease went elsewhere. */
class Pause extends Error {}

export function notificationFollower(deps: FollowerDeps): NotificationFollower {
  const holder = randomUUID();
  const leaseMs = deps.leaseMs ?? 30_000;
  let holding = false;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let authDown = false;
  let position: LogPosition | undefined;
  let wakeTimer: NodeJS.Timeout | undefined;

  /** Hands a notice to auth: true once accepted (or refused for good), a Pause while auth is away. */
  async function handOver(send: () => Promise<void>, what: Record<string, string>): Promise<void> {
    try {
      await send();
      if (authDown) deps.logger.info('auth accepts notices again');
      authDown = false;
    } catch (error) {
      if (error instanceof PermanentRefusal) {
        deps.logger.warn({ ...what, err: error.message }, 'notice refused by auth; not mailed');
        return;
      }
      if (!authDown) deps.logger.warn({ err: (error as Error).message }, 'cannot hand notices to auth; they wait in the event log');
      authDown = true;
      throw new Pause();
    }
  }

  async function replyNotice(event: CreatedEvent): Promise<ReplyNotificationRequest | undefined> {
    const reply = event.comment;
    if (!reply.parentId || !reply.author) return undefined;
    const parent = await findComment(deps.db, reply.parentId);
    if (!parent || !parent.author_id || parent.author_id === reply.author.id || isTombstone(parent)) return undefined;
    const article = await deps.db.selectFrom('articles').select(['key', 'title', 'url']).where('id', '=', event.articleId).executeTakeFirst();
    return {
      recipientId: parent.author_id,
      replyId: reply.id,
      replierName: reply.author.name.slice(0, 100),
      articleTitle: (article?.title ?? article?.key ?? '').slice(0, 300),
      ...(article?.url && URL.canParse(article.url) && article.url.length <= 2000 ? { articleUrl: article.url } : {}),
      excerpt: excerptOf(reply.body),
    };
  }

  /**
   * Stores the digest items of events whose notices auth took, and moves the cursor past them, in
   * one short transaction (one per batch, not per event: a busy log costs a few round trips per
   * hundred comments). False when the lease went to another node meanwhile.
   */
  async function commit(done: readonly CreatedEvent[]): Promise<boolean> {
    const last = done.at(-1);
    if (!last) return true;
    return deps.db.transaction().execute(async (trx) => {
      const now = deps.clock();
      for (const event of done) {
        await queueDigestItems(trx, { articleId: event.articleId, commentId: event.comment.id, authorId: event.comment.author?.id, now, windowMs: deps.digestWindowMs });
      }
      return advanceCursor(trx, holder, last, now, leaseMs);
    });
  }

  async function followLog(): Promise<void> {
    let cursor = await claimLease(deps.db, holder, deps.clock(), leaseMs);
    holding = cursor !== undefined;
    position = cursor;
    while (cursor && !stopped) {
      const events = await listCreatedAfter(deps.db, cursor, batchSize);
      const done: CreatedEvent[] = [];
      let paused: unknown;
      for (const event of events) {
        if (stopped) break;
        try {
          const notice = await replyNotice(event);
          if (notice) await handOver(() => deps.mailbox.replyPosted(notice), { replyId: notice.replyId });
        } catch (error) {
          // What auth took before it went away is kept; the rest waits in the log.
          paused = error;
          break;
        }
        done.push(event);
      }
      if (!(await commit(done))) {
        holding = false;
        throw new Pause();
      }
      if (done.length > 0) cursor = position = done.at(-1);
      if (paused) throw paused;
      if (events.length < batchSize || stopped) break;
    }
  }

  async function digest(batch: DueBatch): Promise<void> {
    const { comments, article } = await readBatch(deps.db, batch);
    const quoted = comments.filter((comment) => comment.author_id !== batch.userId);
    if (quoted.length > 0) {
      const request: DigestNotificationRequest = {
        recipientId: batch.userId,
        digestKey: `${batch.articleId}:${batch.dueAt.getTime()}`,
        articleTitle: (article?.title ?? article?.key ?? '').slice(0, 300),
        ...(article?.url && URL.canParse(article.url) && article.url.length <= 2000 ? { articleUrl: article.url } : {}),
        comments: quoted.slice(0, digestMaxComments).map((comment) => ({ authorName: comment.author_name.slice(0, 100) || '—', excerpt: excerptOf(comment.body) })),
        more: Math.max(0, quoted.length - digestMaxComments),
      };
      await handOver(() => deps.mailbox.digestDue(request), { digest: request.digestKey });
    }
    await deleteBatch(deps.db, batch);
  }

  async function sendDueDigests(): Promise<void> {
    for (;;) {
      const batches = await listDueBatches(deps.db, deps.clock(), 50);
      for (const batch of batches) {
        if (stopped || !holding) return;
        await digest(batch);
      }
      if (batches.length < 50) return;
    }
  }

  /**
   * Moderators' queue mail: once a window (FOLLOW_DIGEST_MINUTES) has passed, what entered the
   * queues in it goes to auth, which mails the staff who opted in about their sites. The window's
   * start is its key, so a window handed over twice is mailed once.
   */
  async function sendQueueNotice(): Promise<void> {
    const now = deps.clock();
    const since = await queueWindow(deps.db);
    if (since && now.getTime() - since.getTime() < deps.digestWindowMs) return;
    if (since) {
      const sites = await countNewQueueItems(deps.db, since, now);
      if (sites.length > 0) await handOver(() => deps.mailbox.queueChanged({ windowKey: String(since.getTime()), sites }), { queueWindow: since.toISOString() });
    }
    if (!(await openQueueWindow(deps.db, holder, now))) holding = false;
  }

  async function pass(): Promise<void> {
    try {
      await followLog();
      if (holding && !stopped) await sendDueDigests();
      if (holding && !stopped) await sendQueueNotice();
    } catch (error) {
      if (!(error instanceof Pause)) deps.logger.warn({ err: (error as Error).message }, 'notification follower could not read the log; trying again shortly');
    }
  }

  function schedule(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const ticker = setInterval(() => void schedule(), deps.pollMs);
  ticker.unref();
  // Whatever waited in the log while no node followed it (or this node was down).
  void schedule();

  return {
    wake() {
      // Coalesced: a burst of posts costs one pass, not one per post (mail can wait 100 ms).
      if (!holding || wakeTimer || stopped) return;
      wakeTimer = setTimeout(() => {
        wakeTimer = undefined;
        void schedule();
      }, 100);
      wakeTimer.unref();
    },
    async runNow() {
      // This pass does what a pending wake would: none is left to start after the caller looked.
      clearTimeout(wakeTimer);
      wakeTimer = undefined;
      // A pass that was already running may have started before the caller's write: once more.
      await schedule();
      await schedule();
      // Writes that committed while an older transaction (anywhere on the server) still runs are
      // read once it ends: wait for that (bounded), unless auth is away or another node follows.
      for (let tries = 0; tries < 250 && holding && !authDown && !stopped && position && (await hasUnsettled(deps.db, position)); tries += 1) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        await schedule();
      }
    },
    async idle() {
      while (running) await running;
    },
    async stop() {
      stopped = true;
      clearInterval(ticker);
      clearTimeout(wakeTimer);
      await this.idle();
      if (holding) {
        await releaseLease(deps.db, holder).catch((error: unknown) => deps.logger.warn({ err: (error as Error).message }, 'could not give the notification lease up'));
        holding = false;
      }
    },
  };
}
