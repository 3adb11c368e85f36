import { closeSync, createReadStream, openSync, readSync, writeSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportBatchRequest, ImportBatchResult, ImportedArticle, ImportedComment, ImportSource, ImportSummary as ContractSummary } from '@parley/contracts';
import { parseCommento } from './commento';
import { parseDisqus } from './disqus';
import { parseParley } from './parley';
import { skipReasons, type Place, type SkipReason, type SourcePost, type SourceThread } from './source';
import { parseWordpress } from './wordpress';

/**
 * `pnpm parley import FORMAT FILE --site ID`, without the terminal: parse the file (streaming),
 * group its comments by article, and send whole articles to the comments service in batches.
 *
 * Parsing spools each comment to a temporary file and keeps only where it is (Disqus lists every
 * post after every thread, in no order): memory holds the threads, one offset pair per comment
 * and the ids seen, never the comments themselves. Then each article's comments are read back
 * and sent together, since the service writes an article in one transaction.
 */

export interface Problem {
  place?: Place;
  message: string;
}

/** What a whole import did: the contracts' shape, which the console is answered with too. */
export type ImportSummary = ContractSummary;

export interface ImportProgress {
  reading(bytes: number, total: number, comments: number): void;
  writing(articles: number, total: number, comments: number): void;
  end(): void;
}

export interface ImportOptions {
  source: ImportSource;
  file: string;
  site: string;
  dryRun: boolean;
  /** Hands one batch to the comments service (directly, or over the running Parley's control route). */
  send(batch: ImportBatchRequest): Promise<ImportBatchResult>;
  progress?: ImportProgress;
  /** Formats read whole (Commento's JSON) refuse bigger files. */
  maxWholeFileBytes?: number;
  /** A batch closes at this many comments (an article is never split). */
  batchComments?: number;
  /** …or at about this many bytes of comments (their HTML and fields), whichever comes first. */
  batchBytes?: number;
  /** Limits of the XML reader (tests make them small). */
  maxConstructChars?: number;
}

/**
 * What the pipeline holds at once, by design (docs/adr/0016): one chunk of the file being parsed
 * (`readChunkBytes`), one record, the spool's pending writes (`spoolFlushBytes`, written
 * synchronously), and while writing one batch — read back from the spool only when the previous
 * one was answered, never two in flight. What grows with the file is the index: the threads, one
 * offset pair per comment and the ids seen.
 */
export const readChunkBytes = 256 * 1024;
export const spoolFlushBytes = 1 << 20;
export const defaultBatchComments = 500;
export const defaultBatchBytes = 8 * 1024 * 1024;

const keptProblems = 200;

export async function runImport(options: ImportOptions): Promise<ImportSummary> {
  const size = (await stat(options.file)).size;
  const summary: ImportSummary = {
    source: options.source,
    site: options.site,
    dryRun: options.dryRun,
    bytes: size,
    articles: { created: 0, updated: 0, unchanged: 0, withoutComments: 0 },
    comments: { read: 0, imported: 0, tombstones: 0, alreadyImported: 0, orphans: 0 },
    authors: { created: 0 },
    skipped: {},
    problems: [],
    problemCount: 0,
  };
  const report = (problem: Problem) => {
    summary.problemCount += 1;
    if (summary.problems.length < keptProblems) summary.problems.push(problem);
  };
  const skip = (reason: SkipReason, place: Place | undefined, detail?: string) => {
    summary.skipped[reason] = (summary.skipped[reason] ?? 0) + 1;
    report({ ...(place ? { place } : {}), message: `skipped (${skipReasons[reason]})${detail ? `: ${detail}` : ''}` });
  };

  const folder = await mkdtemp(join(tmpdir(), 'parley-import-'));
  const spool = new Spool(join(folder, 'comments.jsonl'));
  const threads = new Map<string, SourceThread>();
  const seen = new Set<string>();
  try {
    const sink = {
      thread(thread: SourceThread) {
        if (!threads.has(thread.sourceId)) threads.set(thread.sourceId, thread);
      },
      post(post: SourcePost) {
        if (seen.has(post.sourceId)) return skip('duplicate_id', post.place, `${post.at ? `${post.at}: ` : ''}id ${post.sourceId}`);
        seen.add(post.sourceId);
        summary.comments.read += 1;
        spool.add(post.threadSourceId, post);
      },
      skip,
      problem: (place: Place | undefined, message: string) => report({ ...(place ? { place } : {}), message }),
    };

    let comments = 0;
    const chunks = async function* () {
      const stream = createReadStream(options.file, { encoding: 'utf8', highWaterMark: readChunkBytes });
      for await (const chunk of stream) {
        yield chunk as string;
        options.progress?.reading(stream.bytesRead, size, summary.comments.read);
      }
    };
    const limits = options.maxConstructChars ? { maxConstructChars: options.maxConstructChars } : {};
    if (options.source === 'disqus') await parseDisqus(chunks(), sink, limits);
    else if (options.source === 'wordpress') await parseWordpress(chunks(), sink, limits);
    else if (options.source === 'parley') await parseParley(createReadStream(options.file), sink);
    else {
      const limit = options.maxWholeFileBytes ?? 256 * 1024 * 1024;
      if (size > limit) throw new Error(`a Commento export is read whole, and this one is ${size} bytes (the most is ${limit})`);
      parseCommento(await readFile(options.file, 'utf8'), sink);
    }
    spool.flush();
    options.progress?.reading(size, size, summary.comments.read);
    seen.clear();

    const articleCount = spool.threadIds().filter((id) => threads.has(id)).length;
    summary.articles.withoutComments = [...threads.keys()].filter((id) => !spool.has(id)).length;
    let batch: ImportedArticle[] = [];
    let inBatch = 0;
    let batchBytes = 0;
    let written = 0;
    const send = async () => {
      if (batch.length === 0) return;
      const result = await options.send({ site: options.site, source: options.source, dryRun: options.dryRun, articles: batch });
      summary.articles.created += result.articles.created;
      summary.articles.updated += result.articles.updated;
      summary.articles.unchanged += result.articles.unchanged;
      for (const key of ['imported', 'tombstones', 'alreadyImported', 'orphans'] as const) summary.comments[key] += result.comments[key];
      summary.authors.created += result.authors.created;
      written += batch.length;
      comments += inBatch;
      options.progress?.writing(written, articleCount, comments);
      batch = [];
      byKey.clear();
      inBatch = 0;
      batchBytes = 0;
    };
    const maxComments = options.batchComments ?? defaultBatchComments;
    const maxBytes = options.batchBytes ?? defaultBatchBytes;
    // The current batch's articles by key (only those: a sent batch is let go).
    const byKey = new Map<string, ImportedArticle>();
    for (const threadId of spool.threadIds()) {
      const thread = threads.get(threadId);
      const posts = spool.read(threadId);
      if (!thread) {
        for (const post of posts) skip('unknown_thread', post.place, `${post.at ? `${post.at}: ` : ''}comment ${post.sourceId} names the article "${threadId}", which the file does not have`);
        continue;
      }
      let listBytes = 0;
      const list: ImportedComment[] = posts.map((post) => {
        listBytes += commentBytes(post);
        return {
          sourceId: post.sourceId,
          parentSourceId: post.parentSourceId,
          createdAt: post.createdAt,
          author: post.author,
          html: post.html,
          status: post.status,
        };
      });
      // Two source threads with one key (Disqus keeps a thread per url variant): one article.
      const same = byKey.get(thread.key);
      if (same) {
        same.comments.push(...list);
        inBatch += list.length;
        batchBytes += listBytes;
        continue;
      }
      const article: ImportedArticle = { key: thread.key, title: thread.title, url: thread.url, closed: thread.closed, comments: list };
      // The batch so far goes first if this article would take it past a bound (an article alone may: it is never split).
      if (inBatch > 0 && (inBatch + list.length > maxComments || batchBytes + listBytes > maxBytes)) await send();
      byKey.set(thread.key, article);
      batch.push(article);
      inBatch += list.length;
      batchBytes += listBytes;
    }
    await send();
    options.progress?.end();
    return summary;
  } finally {
    spool.close();
    await rm(folder, { recursive: true, force: true });
  }
}

/** About what a comment weighs in a batch: its HTML and the rest of its fields. */
const commentBytes = (post: SourcePost) => post.html.length + post.author.name.length + post.author.sourceKey.length + (post.author.email?.length ?? 0) + 200;

/** Comments on disk, one JSON line each, with the byte range of each under its thread's id. */
class Spool {
  private readonly fd: number;
  private readonly ranges = new Map<string, number[]>();
  private pending: string[] = [];
  private pendingBytes = 0;
  private offset = 0;

  constructor(path: string) {
    this.fd = openSync(path, 'w+', 0o600);
  }

  add(threadId: string, post: SourcePost): void {
    const text = `${JSON.stringify(post)}\n`;
    const bytes = Buffer.byteLength(text);
    let ranges = this.ranges.get(threadId);
    if (!ranges) this.ranges.set(threadId, (ranges = []));
    ranges.push(this.offset, bytes);
    this.offset += bytes;
    this.pending.push(text);
    this.pendingBytes += bytes;
    if (this.pendingBytes > spoolFlushBytes) this.flush();
  }

  flush(): void {
    if (this.pending.length === 0) return;
    writeSync(this.fd, this.pending.join(''));
    this.pending = [];
    this.pendingBytes = 0;
  }

  has(threadId: string): boolean {
    return this.ranges.has(threadId);
  }

  threadIds(): string[] {
    return [...this.ranges.keys()];
  }

  read(threadId: string): SourcePost[] {
    const ranges = this.ranges.get(threadId) ?? [];
    const posts: SourcePost[] = [];
    for (let at = 0; at < ranges.length; at += 2) {
      const buffer = Buffer.allocUnsafe(ranges[at + 1]!);
      readSync(this.fd, buffer, 0, buffer.length, ranges[at]!);
      posts.push(JSON.parse(buffer.toString('utf8')) as SourcePost);
    }
    this.ranges.delete(threadId);
    return posts;
  }

  close(): void {
    closeSync(this.fd);
  }
}
