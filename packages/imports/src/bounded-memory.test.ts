import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import type { ImportBatchRequest, ImportBatchResult } from '@parley/contracts';
import { parseDisqus } from './disqus';
import { runImport } from './pipeline';
import type { Sink, SourcePost } from './source';
import { copyUpTo, UploadTooLarge } from './upload';

/**
 * What the import holds at once does not grow when the side it hands work to is slow (the disk
 * under an upload, the database under the batches) or when the file is broken: each stage waits
 * for the next. Measured in bytes and records handed on versus taken up, never in time; the slow
 * side here goes only as fast as the test lets it.
 */

/** Lets every stream callback that is ready run (event-loop turns, not time). */
const settle = async () => {
  for (let i = 0; i < 5; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

describe('an upload copied to a slow disk', () => {
  const chunk = 16 * 1024;
  /** A request body that makes its bytes only when asked for them, and counts what it was asked for. */
  const body = (total: number) => {
    const counter = { pulled: 0 };
    const stream = new Readable({
      read() {
        if (counter.pulled >= total) return void this.push(null);
        counter.pulled += chunk;
        this.push(Buffer.alloc(chunk, 0x61));
      },
    });
    return { stream, counter };
  };
  /** A disk that finishes a write only when the test says so. */
  const slowDisk = () => {
    const held: (() => void)[] = [];
    const counter = { written: 0 };
    const stream = new Writable({
      highWaterMark: 64 * 1024,
      write(data: Buffer, _encoding, done) {
        held.push(() => {
          counter.written += data.length;
          done();
        });
      },
    });
    return { stream, counter, held };
  };

  it('reads the body only as fast as the disk takes it', async () => {
    const total = 4 * 1024 * 1024;
    const source = body(total);
    const disk = slowDisk();
    const copied = copyUpTo(source.stream, disk.stream, total);
    let mostAhead = 0;
    for (;;) {
      await settle();
      mostAhead = Math.max(mostAhead, source.counter.pulled - disk.counter.written);
      const next = disk.held.shift();
      if (!next) break;
      next();
    }
    expect(await copied).toBe(total);
    expect(disk.counter.written).toBe(total);
    // Never more ahead of the disk than the two streams' buffers and a chunk in hand: a copy that
    // ignored write()'s "full" would have read all 4 MB while the disk took its first 16 KB.
    expect(mostAhead).toBeLessThanOrEqual(source.stream.readableHighWaterMark + disk.stream.writableHighWaterMark + 2 * chunk);
  });

  it('stops writing past the limit and lets the rest of the body run out unread', async () => {
    const source = body(1024 * 1024);
    const disk = slowDisk();
    const copied = copyUpTo(source.stream, disk.stream, 100 * 1024);
    for (;;) {
      await settle();
      const next = disk.held.shift();
      if (!next) break;
      next();
    }
    await expect(copied).rejects.toBeInstanceOf(UploadTooLarge);
    await settle();
    expect(disk.counter.written).toBeLessThanOrEqual(100 * 1024);
    expect(disk.stream.destroyed).toBe(true);
    // Read to its end (and dropped), so the client is answered rather than cut off.
    expect(source.counter.pulled).toBe(1024 * 1024);
  });
});

describe('batches to a slow database', () => {
  let folder: string;
  beforeAll(async () => (folder = await mkdtemp(join(tmpdir(), 'parley-bounded-'))));
  afterAll(async () => rm(folder, { recursive: true, force: true }));

  it('sends one batch at a time, each within its bounds, reading the next only once the last is answered', async () => {
    const threads = 40;
    const posts = 3000;
    const lines = [`<?xml version="1.0"?>\n<disqus xmlns:dsq="http://disqus.com/disqus-internals">`];
    for (let t = 0; t < threads; t += 1) lines.push(`<thread dsq:id="t${t}"><id>story-${t}</id></thread>`);
    // Thread 7 is one big article (it is never split: it goes alone); the rest spread evenly.
    for (let p = 0; p < posts; p += 1) {
      const thread = p % 3 === 0 ? 7 : p % threads;
      lines.push(`<post dsq:id="p${p}"><message><![CDATA[<p>${'word '.repeat(40)}${p}</p>]]></message><createdAt>2019-01-01T00:00:00Z</createdAt><author><name>R${p % 50}</name></author><thread dsq:id="t${thread}"/></post>`);
    }
    lines.push('</disqus>');
    const file = join(folder, 'disqus.xml');
    await writeFile(file, lines.join('\n'));

    const waiting: (() => void)[] = [];
    // Wakes the test when a batch arrives or the import ends.
    let wake = () => undefined as void;
    let finished = false;
    const batches: ImportBatchRequest[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let sent = 0;
    let answered = 0;
    let mostUnanswered = 0;
    const batchComments = 100;
    const batchBytes = 20_000;
    const importing = runImport({
      source: 'disqus',
      file,
      site: 'gazette',
      dryRun: false,
      batchComments,
      batchBytes,
      send: async (batch) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        const comments = batch.articles.reduce((n, a) => n + a.comments.length, 0);
        sent += comments;
        mostUnanswered = Math.max(mostUnanswered, sent - answered);
        batches.push(batch);
        // The database takes its time: the batch is answered when the test lets it.
        await new Promise<void>((resolve) => {
          waiting.push(resolve);
          wake();
        });
        inFlight -= 1;
        answered += comments;
        const result: ImportBatchResult = { articles: { created: batch.articles.length, updated: 0, unchanged: 0 }, comments: { imported: comments, tombstones: 0, alreadyImported: 0, orphans: 0 }, authors: { created: 0 } };
        return result;
      },
    });
    void importing.finally(() => {
      finished = true;
      wake();
    });
    for (;;) {
      if (waiting.length === 0 && !finished) await new Promise<void>((resolve) => (wake = resolve));
      await settle();
      if (finished) break;
      // Nothing else is handed on while a batch waits.
      expect(waiting).toHaveLength(1);
      waiting.shift()!();
    }
    const summary = await importing;
    expect(summary.comments.imported).toBe(posts);
    expect(mostInFlight).toBe(1);
    const big = batches.find((b) => b.articles.some((a) => a.key === 'story-7'))!;
    expect(big.articles).toHaveLength(1);
    const largestArticle = Array.from({ length: posts }, (_, p) => p).filter((p) => p % 3 === 0 || p % threads === 7).length;
    expect(big.articles[0]!.comments).toHaveLength(largestArticle);
    // At most one batch ahead of the database, and a batch is at most its bounds unless one article alone is bigger.
    expect(mostUnanswered).toBeLessThanOrEqual(Math.max(batchComments, largestArticle));
    for (const batch of batches.filter((b) => b !== big)) {
      expect(batch.articles.reduce((n, a) => n + a.comments.length, 0)).toBeLessThanOrEqual(batchComments);
      expect(batch.articles.reduce((n, a) => n + a.comments.reduce((m, c) => m + c.html.length + 200, 0), 0)).toBeLessThanOrEqual(batchBytes + 2000);
    }
  });
});

describe('a broken file', () => {
  it('never holds more than a bounded stretch of it, even when a CDATA section never ends', async () => {
    const maxConstructChars = 10_000;
    // The posts after it have no CDATA of their own, whose "]]>" would end the broken one.
    const line = (p: number) => `<post dsq:id="p${String(p).padStart(5, '0')}"><message>fine</message><createdAt>2019-01-01T00:00:00Z</createdAt><author><name>R</name></author><thread dsq:id="t1"/></post>\n`;
    const head = `<?xml version="1.0"?>\n<disqus xmlns:dsq="http://disqus.com/disqus-internals">\n<thread dsq:id="t1"><id>story</id></thread>\n`;
    const broken = `<post dsq:id="broken"><message><![CDATA[<p>this section is never closed</p></message><createdAt>2019-01-01T00:00:00Z</createdAt><thread dsq:id="t1"/></post>\n`;
    const posts = 3000;
    const delivered: SourcePost[] = [];
    const problems: string[] = [];
    const skipped: string[] = [];
    const sink: Sink = {
      thread: () => undefined,
      post: (post) => void delivered.push(post),
      skip: (reason) => void skipped.push(reason),
      problem: (_place, message) => void problems.push(message),
    };
    // The file in 1,000-character chunks, noting how far it was read and how far the posts handed on reach.
    const text = head + broken + Array.from({ length: posts }, (_, p) => line(p)).join('') + '</disqus>\n';
    const reached = () => head.length + broken.length + delivered.length * line(0).length;
    let pulled = 0;
    let mostAhead = 0;
    async function* chunks() {
      for (let at = 0; at < text.length; at += 1000) {
        mostAhead = Math.max(mostAhead, pulled - reached());
        pulled = Math.min(text.length, at + 1000);
        yield text.slice(at, at + 1000);
      }
    }
    await parseDisqus(chunks(), sink, { maxConstructChars });
    expect(delivered).toHaveLength(posts);
    expect(skipped).toEqual(['malformed']);
    expect(problems).toEqual([expect.stringContaining('runs on for more than 10000 characters')]);
    // What was read but not yet handed on stays within the bound and a couple of chunks and records,
    // where waiting for the "]]>" would have held all 3,000 posts.
    expect(mostAhead).toBeLessThanOrEqual(maxConstructChars + 2 * 1000 + 2 * line(0).length);
  });
});
