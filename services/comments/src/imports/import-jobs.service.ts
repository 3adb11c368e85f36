import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { assertAllowed, AppError, conflict, notFound, payloadTooLarge } from '@parley/platform';
import { Worker } from 'node:worker_threads';
import type { DatabaseSource } from '@parley/db';
import type { ImportBatchRequest, ImportBatchResult, ImportJob, ImportSource, ImportSummary, Viewer } from '@parley/contracts';
import { copyUpTo, UploadCutOff, UploadTooLarge } from '@parley/imports';
import { siteNotFound } from '../comments/post-comment';
import type { ServiceContext } from '../context';
import { findSite } from '../sites/sites.repository';
import type { FromImportWorker, ImportWorkerData, ToImportWorker } from './import-worker';
import type { ImportsService } from './imports.service';
import {
  dropImportJob,
  emptyProgress,
  findImportJob,
  finishImportJob,
  importJobReceived,
  jobBytes,
  recordImportProgress,
  startImportJob,
  type ImportJobRow,
} from './import-jobs.repository';

/**
 * Imports from the console (docs/adr/0016): the export file arrives as the raw body of
 * `POST /api/admin/sites/:site/imports`, is streamed to a temporary file (never held in memory,
 * refused past IMPORT_UPLOAD_MAX_BYTES), and then read by the same pipeline `pnpm parley import`
 * runs, in the background: the upload is answered 202 with the job, whose progress and summary
 * any node reads from import_jobs. One import per site at a time.
 */
export interface ImportJobsService {
  upload(viewer: Viewer, siteId: string, options: { source: ImportSource; dryRun: boolean }, file: UploadedFile): Promise<ImportJob>;
  show(viewer: Viewer, siteId: string, id: string): Promise<ImportJob>;
  /** Stops the imports this node runs (between records or batches) and waits for them to record why. */
  stop(): Promise<void>;
  /** Resolves when this node runs no import (tests). */
  idle(): Promise<void>;
}

export interface UploadedFile {
  body: Readable;
  /** The Content-Length the client declared, if any: a file declared too big is refused unread. */
  declaredBytes: number | undefined;
}

/** How often a running job says it is alive, and how long without that until another upload may take the site over. */
const heartbeatMs = 10_000;
const staleAfterMs = 120_000;
/** Progress is written at most this often (each write is a round trip the import waits for only when it is due). */
const progressEveryMs = 500;

const importRunning = (siteId: string) =>
  conflict('import_running', `An import into "${siteId}" is already running; wait for its summary before starting another.`);
const importNotFound = () => notFound('import_not_found', 'There is no such import on this site.');

export function importJobsService(
  context: ServiceContext & {
    imports: ImportsService;
    /** PostgreSQL: the import's worker writes there itself, so the node's thread does none of the work. */
    database?: DatabaseSource;
  },
): ImportJobsService {
  const { db, clock, config } = context;
  const running = new Set<Promise<void>>();
  const workers = new Set<Worker>();
  let stopping = false;

  async function run(job: { id: string; siteId: string; source: ImportSource; dryRun: boolean }, file: string, folder: string): Promise<void> {
    const progress = { ...emptyProgress };
    let writing: Promise<void> | undefined;
    let lastWrite = 0;
    // Progress is best effort (the final write is not): a failed write is tried again at the next beat.
    const beat = (force = false) => {
      const now = Date.now();
      if (writing || (!force && now - lastWrite < progressEveryMs)) return;
      lastWrite = now;
      writing = recordImportProgress(db, job.id, { ...progress }, clock())
        .catch(() => undefined)
        .finally(() => (writing = undefined));
    };
    const heartbeat = setInterval(() => beat(true), heartbeatMs);
    heartbeat.unref();
    const stopped = 'The import stopped: the service was shutting down. Upload the file again to finish it; what was written stays and is not written twice.';
    try {
      const summary = await inWorker(
        {
          source: job.source,
          file,
          site: job.siteId,
          dryRun: job.dryRun,
          maxWholeFileBytes: config.importUpload.wholeFileMaxBytes,
          ...(context.database?.kind === 'postgres' ? { database: context.database } : {}),
        },
        {
          send: async (batch) => {
            if (stopping) throw new Error(stopped);
            return context.imports.importBatch(batch);
          },
          reading(bytes, comments) {
            progress.bytesRead = bytes;
            progress.commentsRead = comments;
            beat();
          },
          writing(articles, total, comments) {
            progress.articlesWritten = articles;
            progress.articlesTotal = total;
            progress.commentsWritten = comments;
            beat();
          },
          workers,
          stopped,
        },
      );
      progress.articlesTotal ??= 0;
      await writing;
      await finishImportJob(db, job.id, { progress, summary }, clock());
    } catch (error) {
      await writing;
      await finishImportJob(db, job.id, { progress, error: failure(error) }, clock()).catch(() => undefined);
    } finally {
      clearInterval(heartbeat);
      await rm(folder, { recursive: true, force: true });
    }
  }

  return {
    async upload(viewer, siteId, { source, dryRun }, upload) {
      assertAllowed(viewer, 'sites.import');
      if (!(await findSite(db, siteId))) throw siteNotFound(siteId);
      const limit = config.importUpload.maxBytes;
      const tooLarge = () => payloadTooLarge(`${describeBytes(limit)} (IMPORT_UPLOAD_MAX_BYTES): import bigger files with pnpm parley import`);
      if (upload.declaredBytes !== undefined && upload.declaredBytes > limit) throw tooLarge();
      if (stopping) throw new AppError(503, 'service_unavailable', 'The service is shutting down; try again shortly.', undefined, { 'Retry-After': '5' });

      const id = randomUUID();
      const now = clock();
      const started = await startImportJob(db, { id, siteId, source, dryRun, startedBy: viewer.id, now, staleBefore: new Date(now.getTime() - staleAfterMs) });
      if (!started) throw importRunning(siteId);

      const folder = await mkdtemp(join(tmpdir(), 'parley-upload-'));
      const file = join(folder, 'export');
      let bytes: number;
      try {
        bytes = await copyUpTo(upload.body, createWriteStream(file, { flags: 'wx', mode: 0o600 }), limit);
      } catch (error) {
        await rm(folder, { recursive: true, force: true });
        await dropImportJob(db, id);
        if (error instanceof UploadTooLarge) throw tooLarge();
        if (error instanceof UploadCutOff) throw new AppError(400, 'validation_failed', 'The upload was cut off before the whole file arrived.');
        throw error;
      }
      await importJobReceived(db, id, bytes, clock());
      const job = run({ id, siteId, source, dryRun }, file, folder);
      running.add(job);
      void job.finally(() => running.delete(job));
      return present((await findImportJob(db, siteId, id))!);
    },

    async show(viewer, siteId, id) {
      assertAllowed(viewer, 'sites.import');
      const row = await findImportJob(db, siteId, id);
      if (!row) throw importNotFound();
      return present(row);
    },

    async stop() {
      stopping = true;
      // A worker still reading is ended; one waiting for a batch hears the refusal.
      await Promise.allSettled([...workers].map((worker) => worker.terminate()));
      await Promise.allSettled([...running]);
    },

    async idle() {
      await Promise.allSettled([...running]);
    },
  };
}

/** The worker's heap, as `pnpm parley` caps its own (importNodeFlags): parsing makes garbage fast. */
const workerLimits = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 12 };
const workerFile = join(__dirname, 'import-worker.ts');

/**
 * Runs the pipeline in a worker thread (import-worker.ts) and writes its batches here, one at a
 * time. The worker is TypeScript like the rest: it registers tsx's loader before loading it.
 */
function inWorker(
  data: ImportWorkerData,
  on: {
    send(batch: ImportBatchRequest): Promise<ImportBatchResult>;
    reading(bytes: number, comments: number): void;
    writing(articles: number, total: number, comments: number): void;
    workers: Set<Worker>;
    stopped: string;
  },
): Promise<ImportSummary> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(`require(${JSON.stringify(require.resolve('tsx/cjs/api'))}).register(); require(${JSON.stringify(workerFile)});`, {
      eval: true,
      workerData: data,
      resourceLimits: workerLimits,
    });
    on.workers.add(worker);
    let outcome: { summary?: ImportSummary; error?: Error } | undefined;
    let writing: Promise<unknown> = Promise.resolve();
    const tell = (message: ToImportWorker) => worker.postMessage(message);
    worker.on('message', (message: FromImportWorker) => {
      if (message.type === 'batch') {
        writing = on.send(message.batch).then(
          (result) => tell({ type: 'result', result }),
          (error: Error & { details?: unknown }) => tell({ type: 'refused', message: error.message, details: error.details }),
        );
      } else if (message.type === 'reading') on.reading(message.bytes, message.comments);
      else if (message.type === 'writing') on.writing(message.articles, message.total, message.comments);
      else if (message.type === 'done') outcome = { summary: message.summary };
      else outcome = { error: Object.assign(new Error(message.message), { details: message.details }) };
      if (outcome) void worker.terminate();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      outcome ??= {
        error: error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new Error(`The import needed more than its ${workerLimits.maxOldGenerationSizeMb} MB of memory; import this file with pnpm parley import.`) : error,
      };
    });
    worker.on('exit', () => {
      on.workers.delete(worker);
      // A batch being written when the worker ended is finished first (each article whole).
      void writing.finally(() => {
        if (outcome?.summary) resolve(outcome.summary);
        else reject(outcome?.error ?? new Error(on.stopped));
      });
    });
  });
}

function failure(error: unknown): string {
  const details = (error as { details?: unknown }).details;
  if (Array.isArray(details) && details.length > 0) {
    return `${(error as Error).message} ${details.slice(0, 5).map((d: { field?: string; message?: string }) => `${d.field} ${d.message}`).join('; ')}`;
  }
  return error instanceof Error ? error.message : 'The import stopped.';
}

const describeBytes = (bytes: number) => (bytes >= 2 ** 20 ? `${Math.round(bytes / 2 ** 20)} MB` : bytes >= 1024 ? `${Math.round(bytes / 1024)} KB` : `${bytes} bytes`);

function present(row: ImportJobRow): ImportJob {
  return {
    id: row.id,
    site: row.site_id,
    source: row.source as ImportSource,
    dryRun: row.dry_run,
    state: row.state,
    bytes: jobBytes(row),
    progress: { ...emptyProgress, ...row.progress },
    summary: row.summary,
    error: row.error,
    startedBy: row.started_by,
    startedAt: row.started_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}
