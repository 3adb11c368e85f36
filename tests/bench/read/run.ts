import { join } from 'node:path';
import { machine, markdownTable, writeResult } from '../lib';
import { forkTs, freshDatabase, newSite, nextMessage, quick, runLoad, seedThread, startBenchStack, stopChild, versions } from '../common';
import type { LoadResult } from '../load';

/**
 * Read path: the first page of a 500-comment thread (125 top-level comments with 3 replies each,
 * so page 1 is 20 top-level comments + their 60 replies, as the widget asks for it), GET
 * through the gateway, directly from the comments service, and from a node:http hello-world in
 * a process of its own. For each: req/s at saturation (50 connections) and latency at a fixed
 * 200 req/s. The stack runs in this process; autocannon in a child process.
 *
 *   pnpm bench:read [--quick]   (tsx tests/bench/read/run.ts)
 */
const saturation = { connections: 50, duration: quick ? 2 : 10, warmUp: quick ? 0 : 2 };
const fixed = { connections: 10, overallRate: 200, duration: quick ? 2 : 10, warmUp: quick ? 0 : 1 };

async function main(): Promise<void> {
  const db = await freshDatabase();
  const stack = await startBenchStack(db.source);
  const baseline = forkTs(join(__dirname, 'baseline.ts'));
  try {
    const site = await newSite(db.source, 'bench-read');
    const article = 'five-hundred';
    const thread = await seedThread(db.source, { site, article, topLevel: 125, repliesPer: 3 });
    const { port } = await nextMessage<{ port: number }>(baseline, 'listening');
    const path = `/api/sites/${site}/articles/${article}/comments`;
    const targets = {
      gateway: `${stack.urls.gateway}${path}`,
      direct: `${stack.urls.comments}${path}`,
      baseline: `http://127.0.0.1:${port}/`,
    };

    // The page must be what a reader gets: 20 top-level comments carrying 60 replies.
    const check = await fetch(targets.gateway);
    if (check.status !== 200) throw new Error(`first page answered ${check.status}: ${await check.text()}`);
    const page = (await check.json()) as { comments: { replies?: unknown[] }[]; article: { commentCount: number } };
    const shown = page.comments.length + page.comments.reduce((n, c) => n + (c.replies?.length ?? 0), 0);
    if (check.status !== 200 || page.comments.length !== 20 || shown !== 80 || page.article.commentCount !== thread.total) {
      throw new Error(`unexpected first page: ${check.status}, ${page.comments.length} top-level, ${shown} shown`);
    }
    const pageBytes = Buffer.byteLength(JSON.stringify(page));

    const runs: Record<string, { saturation: LoadResult; fixed200: LoadResult }> = {};
    for (const [name, url] of Object.entries(targets)) {
      runs[name] = {
        saturation: await runLoad({ url, ...saturation }),
        fixed200: await runLoad({ url, ...fixed }),
      };
    }
    const rps = (name: string) => runs[name]!.saturation.reqPerSec;
    const result = {
      benchmark: 'read',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: await versions(db.source),
      database: db.label,
      thread: { comments: thread.total, topLevel: thread.topLevel, repliesPerComment: 3, firstPageComments: shown, firstPageBytes: pageBytes },
      settings: { saturation, fixed },
      runs,
      ratios: {
        gatewayToDirect: Number((rps('gateway') / rps('direct')).toPrecision(3)),
        directToBaseline: Number((rps('direct') / rps('baseline')).toPrecision(3)),
      },
    };
    const file = writeResult('read', result);
    console.log(
      `\nRead path: GET first page of a ${thread.total}-comment thread (${shown} comments, ${Math.round(pageBytes / 1024)} KB JSON) — ` +
        `saturation ${saturation.connections} connections × ${saturation.duration} s; fixed ${fixed.overallRate} req/s × ${fixed.duration} s (${db.label})\n`,
    );
    const row = (label: string, name: string) => {
      const r = runs[name]!;
      const errors = r.saturation.non2xx + r.saturation.errors + r.fixed200.non2xx + r.fixed200.errors;
      return [label, r.saturation.reqPerSec, r.saturation.latency.p99, r.fixed200.reqPerSec, r.fixed200.latency.p50, r.fixed200.latency.p99, errors];
    };
    console.log(
      markdownTable(
        ['target', 'req/s (saturation)', 'p99 ms (saturation)', 'achieved req/s (fixed 200)', 'p50 ms @200 req/s', 'p99 ms @200 req/s', 'non-2xx/errors'],
        [row('gateway → comments', 'gateway'), row('comments service directly', 'direct'), row('node:http hello world (baseline)', 'baseline')],
      ),
    );
    console.log(`\ngateway/direct throughput: ${result.ratios.gatewayToDirect}; direct/baseline: ${result.ratios.directToBaseline}`);
    console.log(`written to ${file}`);
  } finally {
    await stopChild(baseline);
    await stack.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
