import { parentPort, workerData } from 'node:worker_threads';
import type { ImportBatchRequest, ImportBatchResult, ImportSource, ImportSummary } from '@parley/contracts';
import { runImport } from '@parley/imports';

/**
 * A console import's reading, in a worker thread of its own (import-jobs.service.ts starts it with
 * a capped heap, as `pnpm parley` caps its own): the parser's garbage stays in this isolate instead
 * of growing the comments node's heap. The worker parses and spools; each batch goes to the
 * service's thread, which writes it, and the next is made only once that one is answered.
 */

export interface ImportWorkerData {
  source: ImportSource;
  file: string;
  site: string;
  dryRun: boolean;
  maxWholeFileBytes: number;
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

runImport({
  ...options,
  send: (batch) =>
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
}).then(
  (summary) => tell({ type: 'done', summary }),
  (error: Error & { details?: unknown }) => tell({ type: 'failed', message: error.message, details: error.details }),
);
