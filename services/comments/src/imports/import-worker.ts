import { parentPort, workerData } from 'node:worker_threads';
import type { ImportBatchRequest, ImportBatchResult, ImportSource, ImportSummary } from '@parley/contracts';
import type { DatabaseSource } from '@parley/db';
import { runImport } from '@parley/imports';
import { importsOn } from './imports-on';

/**
 * A console import's reading, in a worker thread of its own (import-jobs.service.ts starts it with
 * a capped heap, as `pnpm parley` caps its own): the parser's garbage stays in this isolate instead
 * of growing the comments node's heap. On PostgreSQL the worker also writes, on a small pool of
 * its own (the live relay hears its commits like any node's); on the embedded database, which
 * only the node's thread holds, each batch goes to that thread to be written. Either way the next
 * batch is made only once the last is answered.
 */

export interface ImportWorkerData {
  source: ImportSource;
  file: string;
  site: string;
  dryRun: boolean;
  maxWholeFileBytes: number;
  /** Where the worker writes itself (PostgreSQL); without it, batches are sent to the node's thread. */
  database?: Extract<DatabaseSource, { kind: 'postgres' }>;
}

export type FromImportWorker =
  | { type: 'batch'; batch: ImportBatchRequest }
  | { type: 'reading'; bytes: number; comments: number }
  | { type: 'writing'; articles: number; total: number; comments: number }
  | { type: 'done'; summary: ImportSummary }
  | { type: 'failed'; message: string; details?: unknown };

export type ToImportWorker = { type: 'result'; result: ImportBatchResult } | { type: 'refused'; message: string; details?: unknown };

const port = parentPort!;
const options = workerData as ImportWorkerData;
const tell = (message: FromImportWorker) => port.postMessage(message);
let answer: ((message: ToImportWorker) => void) | undefined;
port.on('message', (message: ToImportWorker) => answer?.(message));

const { database, ...importOptions } = options;
const own = database ? importsOn({ ...database, maxConnections: 4 }) : undefined;

runImport({
  ...importOptions,
  send: (batch) =>
    own?.service.importBatch(batch) ??
    new Promise<ImportBatchResult>((resolve, reject) => {
      answer = (message) => {
        answer = undefined;
        if (message.type === 'result') resolve(message.result);
        else reject(Object.assign(new Error(message.message), { details: message.details }));
      };
      tell({ type: 'batch', batch });
    }),
  progress: {
    reading: (bytes, _total, comments) => tell({ type: 'reading', bytes, comments }),
    writing: (articles, total, comments) => tell({ type: 'writing', articles, total, comments }),
    end: () => undefined,
  },
})
  .then(
    (summary) => ({ type: 'done', summary }) as const,
    (error: Error & { details?: unknown }) => ({ type: 'failed', message: error.message, details: error.details }) as const,
  )
  .then(async (outcome) => {
    await own?.close();
    tell(outcome);
  });
