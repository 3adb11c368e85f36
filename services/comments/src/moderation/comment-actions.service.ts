import type { BulkModerationRequest, BulkModerationResponse, Comment, ModerationActionType, RemoveAllResponse } from '@parley/contracts';
import { AppError, conflict, notFound } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { lockArticlesCommentedBy } from '../articles/articles.repository';
import { findComment, incrementReplyCount, listAuthorCommentsOn, resolveOpenReports, setCommentStatus } from '../comments/comments.repository';
import { presentComment } from '../comments/comments.presenter';
import { lockedCommentOr404 } from '../comments/locked-comment';
import { assertModerates } from './site-scope';
import type { ServiceContext } from '../context';
import type { ArticleRow, CommentRow, Db } from '../database/tables';
import { writeWithEvents, type RecordEvent, type SignalLive } from '../events/event-publisher';
import { findSite } from '../sites/sites.repository';
import { insertModerationAction } from './moderation-log.repository';
import { queueChanged } from './queue-signals';
import { latestActionOnComment, reopenReportsResolvedAt } from './undo.repository';

/** How long a moderator can take back their last decision on a comment ("Removed · Undo"). */
export const undoWindowMs = 10_000;

/** The decisions undo takes back; restores and earlier undos are not undone. */
const undoable: ModerationActionType[] = ['comment.remove', 'comment.reject', 'comment.approve', 'reports.dismiss'];

export type CommentAction = 'remove' | 'restore' | 'approve' | 'reject' | 'dismiss';

const logName: Record<CommentAction, ModerationActionType> = {
  remove: 'comment.remove',
  restore: 'comment.restore',
  approve: 'comment.approve',
  reject: 'comment.reject',
  dismiss: 'reports.dismiss',
};

/** Which statuses each action starts from; anything else is 409 `invalid_state`. */
const startsFrom: Record<CommentAction, CommentRow['status'][]> = {
  remove: ['published', 'pending'],
  reject: ['pending'],
  restore: ['removed'],
  approve: ['pending'],
  dismiss: ['published', 'pending', 'removed', 'deleted'],
};

const invalidState = (message: string) => conflict('invalid_state', message);

interface Step {
  trx: Db;
  record: RecordEvent;
  signal: SignalLive;
  article: ArticleRow;
  row: CommentRow;
  now: Date;
  /** Why (remove, reject): kept on the comment for its author's tombstone. */
  reason?: string | undefined;
}

/**
 * What moderators do to one comment. Each action locks the article (so its events stay in
 * order), checks the comment's current status, changes it, records what readers must learn, and
 * writes the moderation log row, all in one transaction; queue changes reach the moderation room
 * after commit.
 */
export function commentActionsService(deps: ServiceContext) {
  /** Hides a comment: readers get `comment:removed` only if they had ever seen it. */
  async function hide(step: Step): Promise<CommentRow> {
    const { trx, record, row, article, now, reason } = step;
    const removed = await setCommentStatus(trx, row.id, { status: 'removed', removalReason: reason });
    if (row.published_at !== null) {
      await record({
        articleId: article.id,
        change: { type: 'comment:removed', comment: presentComment(removed) },
        at: now,
        commentCountDelta: row.status === 'published' ? -1 : 0,
      });
    }
    return removed;
  }

  /**
   * Shows a comment to readers: the first time as `comment:created` (counted on its parent),
   * afterwards (restored, or approved after being held) as `comment:updated`.
   */
  async function publish(step: Step): Promise<CommentRow> {
    const { trx, record, row, article, now } = step;
    const firstTime = row.published_at === null;
    const published = await setCommentStatus(trx, row.id, { status: 'published', ...(firstTime ? { publishedAt: now } : {}) });
    if (firstTime && row.parent_id) await incrementReplyCount(trx, row.parent_id);
    await record({
      articleId: article.id,
      change: { type: firstTime ? 'comment:created' : 'comment:updated', comment: presentComment(published) },
      at: now,
      commentCountDelta: 1,
    });
    return published;
  }

  /** Closes the comment's open reports and takes it off the queues it was on. */
  async function settle(step: Step): Promise<number> {
    const { trx, signal, row, article, now } = step;
    const resolved = row.open_reports > 0 ? await resolveOpenReports(trx, row.id, now) : 0;
    if (resolved > 0) queueChanged(signal, article.site_id, row.id, 'reported', 'resolved');
    return resolved;
  }

  async function apply(action: CommentAction, step: Step): Promise<{ row: CommentRow; resolvedReports: number }> {
    const { row, signal, article } = step;
    if (!startsFrom[action].includes(row.status)) {
      throw invalidState(`A ${row.status} comment cannot be ${action === 'dismiss' ? 'dismissed' : `${action}d`}.`);
    }
    if (action === 'dismiss') {
      if (row.open_reports === 0) throw invalidState('This comment has no open reports.');
      return { row, resolvedReports: await settle(step) };
    }
    const resolvedReports = await settle(step);
    if (row.status === 'pending') queueChanged(signal, article.site_id, row.id, 'pending', 'resolved');
    const changed = action === 'remove' || action === 'reject' ? await hide(step) : await publish(step);
    return { row: changed, resolvedReports };
  }

  async function act(moderator: Viewer, id: string, action: CommentAction, reason?: string): Promise<Comment> {
    return writeWithEvents(deps, async (trx, record, signal) => {
      const { article, comment: row } = await lockedCommentOr404(trx, id);
      assertModerates(moderator, article.site_id);
      const now = deps.clock();
      const result = await apply(action, { trx, record, signal, article, row, now, reason });
      await insertModerationAction(trx, {
        moderator,
        action: logName[action],
        target: { type: 'comment', id },
        siteId: article.site_id,
        reason,
        details: { article: article.key, from: row.status, to: result.row.status, resolvedReports: result.resolvedReports },
        at: now,
      });
      return presentComment(result.row, undefined, { moderator: true });
    });
  }

  /**
   * Takes back the moderator's own last decision on a comment within `undoWindowMs`, if nothing
   * happened to the comment since: its status goes back to what it was (readers see it again, or
   * it is held again) and the reports that decision resolved are open again, back in the queue.
   */
  async function undo(moderator: Viewer, id: string): Promise<Comment> {
    return writeWithEvents(deps, async (trx, record, signal) => {
      const { article, comment: row } = await lockedCommentOr404(trx, id);
      assertModerates(moderator, article.site_id);
      const now = deps.clock();
      const last = await latestActionOnComment(trx, id, new Date(now.getTime() - undoWindowMs));
      const details = (last?.details ?? {}) as { from?: CommentRow['status']; to?: CommentRow['status'] };
      if (!last || last.moderator_id !== moderator.id || !undoable.includes(last.action) || details.to !== row.status || !details.from) {
        throw invalidState('There is nothing to undo: only your own last decision on this comment can be undone, within 10 seconds.');
      }
      let changed = row;
      if (details.from !== row.status) {
        if (details.from === 'published') {
          changed = await publish({ trx, record, signal, article, row, now });
        } else {
          // Held again (approve or reject taken back): readers who saw it published lose it again.
          changed = await setCommentStatus(trx, id, { status: 'pending' });
          if (row.status === 'published') {
            await record({ articleId: article.id, change: { type: 'comment:removed', comment: presentComment(changed) }, at: now, commentCountDelta: -1 });
          }
          queueChanged(signal, article.site_id, id, 'pending', 'added');
        }
      }
      const reopened = await reopenReportsResolvedAt(trx, id, last.created_at);
      if (reopened > 0) {
        queueChanged(signal, article.site_id, id, 'reported', 'added');
        changed = (await findComment(trx, id)) ?? changed;
      }
      await insertModerationAction(trx, {
        moderator,
        action: 'comment.undo',
        target: { type: 'comment', id },
        siteId: article.site_id,
        details: { article: article.key, undid: last.action, undidId: last.id, from: row.status, to: changed.status, reopenedReports: reopened },
        at: now,
      });
      return presentComment(changed, undefined, { moderator: true });
    });
  }

  return {
    act,
    undo,

    /** Each id in its own transaction, so one comment in the wrong state doesn't block the rest. */
    async bulk(moderator: Viewer, input: BulkModerationRequest): Promise<BulkModerationResponse> {
      const results: BulkModerationResponse['results'] = [];
      for (const id of input.ids) {
        try {
          await act(moderator, id, input.action, input.reason);
          results.push({ id, ok: true });
        } catch (error) {
          if (!(error instanceof AppError)) throw error;
          results.push({ id, ok: false, error: { code: error.code, message: error.message } });
        }
      }
      return { results };
    },

    /**
     * Removes every published or pending comment of a user on one site in one transaction (all
     * or nothing), each with its live event, and logs it as one action.
     */
    async removeAll(moderator: Viewer, siteId: string, userId: string, reason: string): Promise<RemoveAllResponse> {
      return writeWithEvents(deps, async (trx, record, signal) => {
        if (!(await findSite(trx, siteId))) throw notFound('site_not_found', `There is no site "${siteId}".`);
        assertModerates(moderator, siteId);
        // Lock the articles first, as every single-comment writer locks its article first.
        const articles = await lockArticlesCommentedBy(trx, siteId, userId);
        const byId = new Map(articles.map((article) => [article.id, article]));
        const rows = await listAuthorCommentsOn(trx, userId, [...byId.keys()], ['published', 'pending']);
        const now = deps.clock();
        for (const row of rows) await apply('remove', { trx, record, signal, article: byId.get(row.article_id)!, row, now, reason });
        await insertModerationAction(trx, {
          moderator,
          action: 'user.remove_all',
          target: { type: 'user', id: userId },
          siteId,
          reason,
          details: { removed: rows.length, commentIds: rows.map((row) => row.id) },
          at: now,
        });
        return { removed: rows.map((row) => row.id) };
      });
    },
  };
}
