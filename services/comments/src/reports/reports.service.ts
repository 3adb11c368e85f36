import type { ReportRequest, ReportResponse } from '@parley/contracts';
import { assertAllowed, conflict } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { addOpenReport, setCommentStatus } from '../comments/comments.repository';
import { presentComment } from '../comments/comments.presenter';
import { lockedCommentOr404 } from '../comments/locked-comment';
import type { ServiceContext } from '../context';
import { writeWithEvents } from '../events/event-publisher';
import { assertNotBanned } from '../moderation/assert-not-banned';
import { queueChanged } from '../moderation/queue-signals';
import { findSite } from '../sites/sites.repository';
import { insertReport } from './reports.repository';

export type ReportsServiceDeps = ServiceContext;

export type ReportsService = ReturnType<typeof reportsService>;

/**
 * Readers flag comments for moderators: once per reader per comment, never their own. Each new
 * report joins the comment to the reported queue. On a site with `reportsToPending: N`, the Nth
 * open report holds a published comment for review: it becomes `pending` and its live readers get
 * `comment:removed` with a tombstone (it comes back with `comment:updated` if a moderator approves).
 */
export function reportsService(deps: ReportsServiceDeps) {
  return {
    async report(viewer: Viewer, commentId: string, input: ReportRequest): Promise<ReportResponse> {
      return writeWithEvents(deps, async (trx, record, signal) => {
        const { article, comment } = await lockedCommentOr404(trx, commentId, { publishedOnly: true });
        const now = deps.clock();
        await assertNotBanned(trx, article.site_id, viewer.id, now);
        assertAllowed(viewer, 'comment.report', { authorId: comment.author_id });
        const row = await insertReport(trx, {
          commentId,
          reporterId: viewer.id,
          reason: input.reason,
          note: input.note || null,
          at: now,
        });
        if (!row) throw conflict('already_reported', 'You have already reported this comment.');

        const open = await addOpenReport(trx, commentId, now);
        queueChanged(signal, article.site_id, commentId, 'reported', open === 1 ? 'added' : 'updated');
        const threshold = (await findSite(trx, article.site_id))?.settings.reportsToPending;
        if (threshold !== undefined && open >= threshold) {
          const held = await setCommentStatus(trx, commentId, { status: 'pending' });
          await record({
            articleId: article.id,
            change: { type: 'comment:removed', comment: presentComment(held) },
            at: now,
            commentCountDelta: -1,
          });
          queueChanged(signal, article.site_id, commentId, 'pending', 'added');
        }
        return { report: { id: row.id, commentId, reason: row.reason, createdAt: row.created_at.toISOString() } };
      });
    },
  };
}
