import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { migrations as commentsMigrations, schema as commentsSchema } from '@parley/comments';
import { connect, migrateToLatest } from '@parley/db';
import { importNodeFlags } from '../../../scripts/cli/import';
import type { ImportSummary } from '@parley/imports';
import type { PhasePeaks } from './importer';
import { forkTs, freshDatabase, newSite, nextMessage, quick, round1, stopChild, versions } from '../common';
import { machine, markdownTable, writeResult } from '../lib';

/**
 * Importing a Disqus export (issue 17): a generated file — 200 MB in the full run, 4 MB with
 * --quick — of threads and posts in Disqus's layout (every thread, then every post, posts of all
 * threads interleaved, a third of them replies, some deleted, some spam), imported the way
 * `pnpm parley import disqus` does on DATABASE_URL (in a child Node with the command's heap flags):
 * parsed as a stream, spooled, sent a batch of whole articles at a time. Reports comments per second and the process's peak RSS (the
 * target: under 200 MB whatever the file's size). Needs DATABASE_URL (PostgreSQL in its own process).
 *
 *   tsx tests/bench/import/run.ts [--quick] [--mb 200]
 */
const mbArg = process.argv.indexOf('--mb');
const targetMb = mbArg > 0 ? Number(process.argv[mbArg + 1]) : quick ? 4 : 200;

async function generate(file: string, bytes: number): Promise<{ threads: number; posts: number }> {
  const out = createWriteStream(file);
  const write = async (text: string) => {
    if (!out.write(text)) await once(out, 'drain');
  };
  const postBytes = 620;
  const posts = Math.ceil(bytes / postBytes);
  const threads = Math.max(1, Math.ceil(posts / 60));
  await write('<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n');
  for (let t = 0; t < threads; t += 1) {
    await write(`<thread dsq:id="t${t}"><id>story-${t}</id><forum>bench</forum><link>https://news.example/story-${t}</link><title>Story ${t} &amp; its follow-up</title><createdAt>2019-01-01T00:00:00Z</createdAt><isClosed>false</isClosed><isDeleted>false</isDeleted></thread>\n`);
  }
  let seed = 42;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const filler = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit — «unicode» ✓, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ';
  for (let p = 0; p < posts; p += 1) {
    const thread = Math.floor(random() * threads);
    // A reply to an earlier post, which is in the same thread a fraction of the time: the rest become orphans.
    const parent = p > 0 && random() < 0.33 ? `<parent dsq:id="p${Math.floor(random() * p)}"/>` : '';
    const date = new Date(Date.UTC(2019, 0, 1) + p * 60_000).toISOString();
    await write(
      `<post dsq:id="p${p}"><id/><message><![CDATA[<p>Comment ${p}: ${filler}${filler.slice(0, 80)}</p><p>A <b>second</b> paragraph with <a href="https://example.org/${p}">a link</a>.</p>]]></message>` +
        `<createdAt>${date}</createdAt><isDeleted>${p % 50 === 0}</isDeleted><isSpam>${p % 97 === 0}</isSpam>` +
        `<author><name>Reader ${p % 5000}</name><email>reader${p % 5000}@example.org</email><isAnonymous>false</isAnonymous><username>reader${p % 5000}</username></author>` +
        `<thread dsq:id="t${thread}"/>${parent}</post>\n`,
    );
  }
  await write('</disqus>\n');
  out.end();
  await once(out, 'finish');
  return { threads, posts };
}

async function main(): Promise<void> {
  const db = await freshDatabase('parley_bench_import');
  if (db.source.kind !== 'postgres') {
    // The import runs in another process, which can't share an in-memory PGlite.
    console.log('\nImport: skipped (needs DATABASE_URL: the import runs in its own process)');
    writeResult('import', { benchmark: 'import', date: new Date().toISOString(), quick, skipped: 'no DATABASE_URL' });
    await db.close();
    return;
  }
  const folder = await mkdtemp(join(tmpdir(), 'parley-bench-import-'));
  try {
    const migrator = connect<unknown>(db.source);
    await migrateToLatest(migrator, commentsSchema, commentsMigrations);
    await migrator.destroy();
    const site = await newSite(db.source, 'bench-import');
    const file = join(folder, 'disqus.xml');
    const generated = await generate(file, targetMb * 2 ** 20);
    const { size } = await stat(file);

    // The import runs in a Node of its own with the flags `pnpm parley import` uses, so its RSS is the command's.
    const child = forkTs(join(__dirname, 'importer.ts'), { execArgv: importNodeFlags });
    let answer: { summary: ImportSummary; seconds: number; peakRss: number; peaks: Record<'reading' | 'writing', PhasePeaks>; rssBefore: number; maxRss: number };
    try {
      const done = nextMessage<typeof answer>(child, 'done', 1_800_000);
      child.send({ type: 'import', source: db.source, file, site });
      answer = await done;
    } finally {
      await stopChild(child);
    }
    const { summary, peakRss: peakSampled, rssBefore } = answer;
    const { seconds } = answer;
    const written = summary.comments.imported + summary.comments.tombstones;
    const mib = (n: number) => round1(n / 2 ** 20);
    const result = {
      benchmark: 'import',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: await versions(db.source),
      database: db.label,
      file: { bytes: size, threads: generated.threads, posts: generated.posts },
      seconds: round1(seconds),
      commentsPerSecond: Math.round(written / seconds),
      written,
      summary: { articles: summary.articles, comments: summary.comments, skipped: summary.skipped },
      // maxRSS covers the whole process life (the file was written as a stream before, in little memory).
      // Sampled every 100 ms while the import ran; the process's own peak (maxRSS) beside it.
      peakRssMiB: mib(peakSampled),
      maxRssMiB: mib(answer.maxRss),
      rssBeforeMiB: mib(rssBefore),
      // Where the memory was, by phase: V8's heap (capped by the command's flags) and off-heap ArrayBuffers (not capped).
      phases: Object.fromEntries(
        Object.entries(answer.peaks).map(([name, p]) => [name, { peakRssMiB: mib(p.rss), peakHeapUsedMiB: mib(p.heapUsed), peakArrayBuffersMiB: mib(p.arrayBuffers) }]),
      ),
    };
    const out = writeResult('import', result);
    console.log(`\nImporting a generated Disqus export (${mib(size)} MiB, ${generated.posts} posts in ${generated.threads} threads; ${db.label})\n`);
    console.log(
      markdownTable(
        ['file', 'comments written', 'time (s)', 'comments/s', 'peak RSS while importing (MiB)', 'RSS before (MiB)'],
        [[`${mib(size)} MiB`, written, result.seconds, result.commentsPerSecond, result.peakRssMiB, result.rssBeforeMiB]],
      ),
    );
    console.log(`\nby phase (MiB): ${JSON.stringify(result.phases)}`);
    console.log(`\nskipped: ${JSON.stringify(summary.skipped)}; orphans: ${summary.comments.orphans}; written to ${out}`);
  } finally {
    await rm(folder, { recursive: true, force: true });
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
