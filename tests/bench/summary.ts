import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { machine, markdownTable, writeResult } from './lib';

/**
 * The one table of a `pnpm bench` run: every headline figure beside its target (issue 7), from
 * the JSON results that run wrote. Targets are reported, never asserted. Written to
 * results/summary-<date>.json and results/latest.md (a --quick run: latest-quick.md, so CI's smoke
 * runs never replace the full table).
 *
 *   tsx tests/bench/summary.ts     (alone: the newest result file of each kind)
 */
export const resultsDir = join(__dirname, 'results');

export interface SummaryRow {
  figure: string;
  measured: string;
  target: string;
  /** 'yes' | 'no' | '—' (no target, or a quick run's smaller configuration). */
  met: string;
}

/* eslint-disable @typescript-eslint/no-explicit-any -- result files are read back as plain JSON */
type Result = Record<string, any>;

const load = (file: string): Result => JSON.parse(readFileSync(file, 'utf8')) as Result;
const yesNo = (ok: boolean) => (ok ? 'yes' : 'no');

export function summaryRows(files: string[]): SummaryRow[] {
  const results = files.map((file) => ({ file, data: load(file) }));
  const of = (name: string) => results.filter((r) => basename(r.file).startsWith(`${name}-`)).map((r) => r.data);
  const rows: SummaryRow[] = [];
  const row = (figure: string, measured: string, target = '—', met = '—') => rows.push({ figure, measured, target, met });
  const missing = (figure: string, target: string) => row(figure, 'not measured (benchmark failed?)', target, '—');

  const read = of('read')[0];
  if (read?.runs?.gatewayCached) {
    const runs = read.runs;
    const gw = runs.gatewayCached;
    const pct = (n: number) => `${Math.round(n * 100)}%`;
    row(
      'Thread read, cached, via gateway vs node:http hello world (saturation, same run)',
      `${pct(read.ratios.gatewayCachedToBaseline)} (${gw.saturation.reqPerSec} vs ${runs.baseline.saturation.reqPerSec} req/s)`,
      '≥ 25%',
      yesNo(read.ratios.gatewayCachedToBaseline >= 0.25),
    );
    row(
      'Thread read, cached, via gateway: p99 at 2,000 req/s',
      `${gw.fixed2000.latency.p99} ms (p50 ${gw.fixed2000.latency.p50} ms, ${gw.fixed2000.reqPerSec} req/s achieved)`,
      '< 20 ms',
      gw.fixed2000.reqPerSec >= 1900 ? yesNo(gw.fixed2000.latency.p99 < 20) : 'no (rate not reached)',
    );
    row(
      'Gateway throughput vs direct (cached read, saturation)',
      `${pct(read.ratios.gatewayToDirectCached)} (${gw.saturation.reqPerSec} vs ${runs.directCached.saturation.reqPerSec} req/s)`,
      '≥ 80%',
      yesNo(read.ratios.gatewayToDirectCached >= 0.8),
    );
    row(
      'Thread read, first read after a write, via gateway: p99',
      `${read.firstReadAfterWrite.p99} ms (p50 ${read.firstReadAfterWrite.p50} ms, ${read.firstReadAfterWrite.count} writes)`,
      '< 30 ms',
      yesNo(read.firstReadAfterWrite.p99 < 30),
    );
    row('Thread read via gateway: p99 at 200 req/s', `${gw.fixed200.latency.p99} ms (p50 ${gw.fixed200.latency.p50} ms, ${gw.fixed200.reqPerSec} req/s achieved)`, '< 50 ms', yesNo(gw.fixed200.latency.p99 < 50));
    if (runs.gatewayBaseline) {
      row(
        'The gateway alone: node:http hello world through it vs without (saturation)',
        `${pct(read.ratios.gatewayHopToBaseline)} (${runs.gatewayBaseline.saturation.reqPerSec} vs ${runs.baseline.saturation.reqPerSec} req/s)`,
      );
    }
    row(
      'Thread read, uncached, saturation (every read builds the page)',
      `${runs.gatewayUncached ? `${runs.gatewayUncached.saturation.reqPerSec} req/s via gateway, ` : ''}${runs.directUncached.saturation.reqPerSec} req/s direct (cached direct: ${runs.directCached.saturation.reqPerSec})`,
    );
  } else {
    missing('Thread read, cached, via gateway vs node:http', '≥ 25%');
    missing('Gateway throughput vs direct', '≥ 80%');
  }

  const paging = of('paging')[0];
  if (paging) {
    row(
      'Page 100 vs page 1 of 10,000 comments (p50)',
      `×${paging.ratioP50} (${paging.page100.latency.p50} vs ${paging.page1.latency.p50} ms; p99 ${paging.page100.latency.p99} vs ${paging.page1.latency.p99} ms)`,
      '≤ 2×',
      yesNo(paging.ratioP50 <= 2),
    );
  } else missing('Page 100 vs page 1 (p50)', '≤ 2×');

  const write = of('write')[0];
  if (write) {
    row('POST comment through gateway, concurrency 20, one article', `${write.post.reqPerSec} req/s, p99 ${write.post.latency.p99} ms`, '≥ 400 req/s', yesNo(write.post.reqPerSec >= 400));
    row('Login (argon2id), concurrency 4', `p99 ${write.login.latency.p99} ms (p50 ${write.login.latency.p50} ms)`);
  }

  const fanouts = of('fanout').sort((a, b) => a.sockets - b.sockets);
  for (const [sockets, limit] of [
    [1000, 50],
    [5000, 300],
  ] as const) {
    const f = fanouts.find((r) => r.sockets === sockets);
    if (f) {
      row(
        `Live fan-out POST → last of ${sockets.toLocaleString('en')} sockets, p99`,
        `${f.parley.lastSocket.p99} ms (p50 ${f.parley.lastSocket.p50} ms; Socket.IO baseline p99 ${f.baseline.lastSocket.p99} ms)`,
        `< ${limit} ms`,
        yesNo(f.parley.lastSocket.p99 < limit),
      );
    }
  }
  for (const f of fanouts.filter((r) => r.sockets !== 1000 && r.sockets !== 5000)) {
    row(`Live fan-out POST → last of ${f.sockets} sockets, p99 (quick)`, `${f.parley.lastSocket.p99} ms (baseline ${f.baseline.lastSocket.p99} ms)`, '< 50 ms at 1,000', '—');
  }
  if (fanouts.length === 0) missing('Live fan-out p99', '< 50 ms / < 300 ms');

  const hot = of('hot-story')[0];
  if (hot) {
    const size = `${hot.settings.readers.toLocaleString('en')} readers${hot.quick ? ', quick' : ''}`;
    row(
      `Hot story (${size}, 5 comments/s, ${hot.settings.seconds} s): page loads`,
      `${hot.pageLoads.reqPerSec} req/s, p50 ${hot.pageLoads.latency.p50} ms, p99 ${hot.pageLoads.latency.p99} ms`,
    );
    row(
      `Hot story (${size}): POST p99 / fan-out p99 (all readers; last reader)`,
      `${hot.posts.p99} ms / ${hot.fanout.allReceipts.p99} ms; ${hot.fanout.lastReader.p99} ms`,
    );
  } else missing('Hot story', '—');

  const memory = of('memory')[0];
  if (memory?.perReaderKB) {
    const full = memory.readers >= 5000;
    row(
      `RSS per idle reader (${memory.readers.toLocaleString('en')} readers${full ? '' : ', quick'})`,
      `${memory.perReaderKB.rss} KB (JS heap ${memory.perReaderKB.heapUsed} KB)`,
      '≤ 60 KB at 5,000',
      full ? yesNo(memory.perReaderKB.rss <= 60) : '—',
    );
  } else missing('RSS per idle reader', '≤ 60 KB');

  const widget = of('widget')[0];
  if (widget) {
    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
    row('Widget, full bundle (gzip)', kb(widget.sizes.widgetGzipBytes), '≤ 33 KB', yesNo(widget.sizes.widgetGzipBytes <= 33 * 1024));
    row('Widget loader embed.js (gzip)', kb(widget.sizes.loaderGzipBytes), '≤ 3 KB (build budget)', yesNo(widget.sizes.loaderGzipBytes <= 3 * 1024));
    const m = widget.render.medianMs;
    row('Widget: navigation → page 1 of a 500-comment thread rendered (80 comments)', `${m.firstPage} ms (20 comments: ${m.first20} ms)`);
    row('Widget: "Load more" ×6 → all 500 comments rendered', `${m.loadAll} ms`);
    if (widget.live) {
      row(
        'Widget: time to apply one live comment to a 500-comment thread in Chromium (message → DOM)',
        `${widget.live.applyMs.p50} ms p50 (p99 ${widget.live.applyMs.p99} ms); ${widget.live.redrawnMax} comment views redrawn`,
      );
    }
  } else missing('Widget full bundle (gzip)', '≤ 33 KB');
  const imported = of('import')[0];
  if (imported?.file) {
    const full = imported.file.bytes >= 190 * 2 ** 20;
    const mb = Math.round(imported.file.bytes / 2 ** 20);
    row(
      `Import of a generated Disqus export (${mb} MB, ${imported.written.toLocaleString('en')} comments${full ? '' : ', quick'}): comments/s, peak RSS`,
      `${imported.commentsPerSecond} comments/s; peak RSS ${imported.peakRssMiB} MiB (${imported.rssBeforeMiB} MiB before it began)`,
      'RSS < 200 MB at 200 MB',
      full ? yesNo(imported.peakRssMiB < 200) : '—',
    );
  } else missing('Import of a 200 MB Disqus export', 'RSS < 200 MB');
  return rows;
}

/** Prints the table and writes summary-<date>.json and latest.md (latest-quick.md); returns the table. */
export function writeSummary(files: string[], opts: { quick: boolean; seconds?: number }): string {
  const rows = summaryRows(files);
  const table = markdownTable(
    ['figure', 'measured', 'target', 'met?'],
    rows.map((r) => [r.figure, r.measured, r.target, r.met]),
  );
  const m = machine();
  const date = new Date().toISOString();
  const heading =
    `Parley benchmarks${opts.quick ? ' (quick run: smaller sizes, not comparable with the targets)' : ''}, ${date}\n` +
    `${m.cpus} × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}` +
    (opts.seconds !== undefined ? `; the run took ${Math.round(opts.seconds)} s` : '');
  const file = writeResult('summary', { benchmark: 'summary', date, quick: opts.quick, machine: m, seconds: opts.seconds, rows, sources: files.map((f) => basename(f)) });
  const latest = join(resultsDir, opts.quick ? 'latest-quick.md' : 'latest.md');
  writeFileSync(latest, `${heading}\n\n${table}\n\nSources: ${files.map((f) => basename(f)).join(', ')}\n`);
  console.log(`\n## Summary\n\n${heading}\n\n${table}\n\nwritten to ${file} and ${latest}`);
  return table;
}

/** The newest result file of each kind (fan-out: of each socket count). */
function newestFiles(): string[] {
  const files = readdirSync(resultsDir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('summary-'))
    .sort()
    .reverse();
  const picked = new Map<string, string>();
  for (const f of files) {
    const kind = f.replace(/-\d{4}-\d\d-\d\dT.*$/, '');
    const key = kind === 'fanout' ? `fanout:${load(join(resultsDir, f)).sockets}` : kind;
    if (!picked.has(key)) picked.set(key, join(resultsDir, f));
  }
  return [...picked.values()];
}

if (require.main === module) {
  const files = newestFiles();
  writeSummary(files, { quick: files.some((f) => load(f).quick === true) });
}
