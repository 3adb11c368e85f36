import type { Db, ReportsTable } from '../database/tables';
import type { Selectable } from 'kysely';

export type ReportRow = Selectable<ReportsTable>;

/** The new report, or undefined when this reader had already reported the comment. */
export async function insertReport(
  trx: Db,
  report: { commentId: string; reporterId: string; reason: ReportRow['reason']; note: string | null; at: Date },
): Promise<ReportRow | undefined> {
  return trx
    .insertInto('reports')
    .values({ comment_id: report.commentId, reporter_id: report.reporterId, reason: report.reason, note: report.note, created_at: report.at })
    .onConflict((oc) => oc.columns(['comment_id', 'reporter_id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}
