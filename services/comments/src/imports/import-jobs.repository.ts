import type { ImportJob, ImportSource, ImportSummary } from '@parley/contracts';
import type { Db } from '../database/tables';

/** Console imports (import_jobs): one row per upload; at most one receiving or running per site. */

const active = ['receiving', 'running'] as const;

export const emptyProgress: ImportJob['progress'] = { bytesRead: 0, commentsRead: 0, articlesWritten: 0, articlesTotal: null, commentsWritten: 0 };

/**
 * A new job for `siteId`, unless one is already receiving or running there (undefined). A job whose
 * node stopped beating `staleBefore` is ended first: nobody is working on it any more.
 */
export async function startImportJob(
  db: Db,
  job: { id: string; siteId: string; source: ImportSource; dryRun: boolean; startedBy: string; now: Date; staleBefore: Date },
): Promise<boolean> {
  await db
    .updateTable('import_jobs')
    .set({ state: 'failed', error: 'The import stopped: the service running it went away. Upload the file again to finish it.', finished_at: job.now })
    .where('site_id', '=', job.siteId)
    .where('state', 'in', active)
    .where('heartbeat_at', '<', job.staleBefore)
    .execute();
  const inserted = await db
    .insertInto('import_jobs')
    .values({
      id: job.id,
      site_id: job.siteId,
      source: job.source,
      dry_run: job.dryRun,
      state: 'receiving',
      progress: JSON.stringify(emptyProgress),
      started_by: job.startedBy,
      started_at: job.now,
      heartbeat_at: job.now,
    })
    .onConflict((oc) => oc.column('site_id').where('state', 'in', active).doNothing())
    .returning('id')
    .executeTakeFirst();
  return inserted !== undefined;
}

export async function findImportJob(db: Db, siteId: string, id: string) {
  return db.selectFrom('import_jobs').selectAll().where('id', '=', id).where('site_id', '=', siteId).executeTakeFirst();
}

/** The job's progress, and a beat: it is being worked on. */
export async function recordImportProgress(db: Db, id: string, progress: ImportJob['progress'], now: Date): Promise<void> {
  await db.updateTable('import_jobs').set({ progress: JSON.stringify(progress), heartbeat_at: now }).where('id', '=', id).execute();
}

export async function importJobReceived(db: Db, id: string, bytes: number, now: Date): Promise<void> {
  await db.updateTable('import_jobs').set({ state: 'running', bytes, heartbeat_at: now }).where('id', '=', id).execute();
}

export async function finishImportJob(
  db: Db,
  id: string,
  outcome: { progress: ImportJob['progress']; summary?: ImportSummary; error?: string },
  now: Date,
): Promise<void> {
  await db
    .updateTable('import_jobs')
    .set({
      state: outcome.summary ? 'done' : 'failed',
      progress: JSON.stringify(outcome.progress),
      summary: outcome.summary ? JSON.stringify(outcome.summary) : null,
      error: outcome.error ?? null,
      heartbeat_at: now,
      finished_at: now,
    })
    .where('id', '=', id)
    .execute();
}

/** A job that never got its file (too large, cut off): gone, as if never started. */
export async function dropImportJob(db: Db, id: string): Promise<void> {
  await db.deleteFrom('import_jobs').where('id', '=', id).where('state', '=', 'receiving').execute();
}

export type ImportJobRow = NonNullable<Awaited<ReturnType<typeof findImportJob>>>;

/** Bytes are a bigint column: pg answers them as text. */
export const jobBytes = (row: ImportJobRow) => Number(row.bytes);
