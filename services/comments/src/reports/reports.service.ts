import type { ReportRequest, ReportResponse } from '@parley/contracts';
import { conflict, forbidden, notFound, type RateLimiter } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { findComment } from '../comments/comments.repository';
import { isTombstone } from '../comments/comments.presenter';
import type { ServiceContext } from '../context';
import { insertReport } from './reports.repository';

export interface ReportsServiceDeps extends ServiceContext {
  reportLimiter: RateLimiter;
}

export type ReportsService = ReturnType<typeof reportsService>;

/** Readers flag comments for moderators: once per reader per comment, never their own. */
export function reportsService(deps: ReportsServiceDeps) {
  return {
    async report(viewer: Viewer, commentId: string, input: ReportRequest): Promise<ReportResponse> {
      await deps.reportLimiter.consume(viewer.id);
      const comment = await findComment(deps.db, commentId);
      if (!comment || isTombstone(comment) || comment.status === 'pending') {
        throw notFound('comment_not_found', 'There is no such comment.');
      }
      if (comment.author_id === viewer.id) throw forbidden('You cannot report your own comment.');
      const row = await insertReport(deps.db, {
        commentId,
        reporterId: viewer.id,
        reason: input.reason,
        note: input.note || null,
        at: deps.clock(),
      });
      if (!row) throw conflict('already_reported', 'You have already reported this comment.');
      return { report: { id: row.id, commentId, reason: row.reason, createdAt: row.created_at.toISOString() } };
    },
  };
}
