import http from 'node:http';
import { join } from 'node:path';
import { machine, markdownTable, summarize, writeResult } from '../lib';
import {
  cpuSeconds,
  cpuSpent,
  forkTs,
  freshDatabase,
  newSite,
  nextMessage,
  processCpu,
  quick,
  seedThread,
  startLoadGenerator,
  startServiceProcesses,
  stopChild,
  versions,
  type BenchServices,
} from '../common';
import type { LoadResult } from '../load';

/**
 * Read path: the first page of a 500-comment thread (125 top-level comments with 3 replies each,
 * so page 1 is 20 top-level comments + their 60 replies, as the widget asks for it), asked the way
 * a browser asks (Accept-Encoding: gzip, deflate, br), in the same run:
 * - cached: through the gateway and directly from a comments node with the shared page cache;
 * - uncached: the same from a second stack whose comments node runs with THREAD_CACHE_BYTES=0, so
 *   every read builds the page (what a read costs right after a write);
 * - a node:http hello world in a process of its own (the machine's ceiling);
 * each at saturation (50 connections), plus latency at fixed rates (200 req/s; cached 2,000 req/s),
 * and the first read after a write (sequential: POST a comment, then time the GET that follows).
 * Gateway, auth and comments each run in a process of their own (as in production); autocannon in
 * another. On 2 cores they all share the machine, which the figures include.
 *
 *   tsx tests/bench/read/run.ts [--quick]
 */
const saturation = { connections: 50, duration: quick ? 1 : 10, warmUp: quick ? 0 : 2 };
const fixed200 = { connections: 10, overallRate: 200, duration: quick ? 1 : 10, warmUp: quick ? 0 : 1 };
const fixed2000 = { connections: 50, overallRate: 2000, duration: quick ? 1 : 10, warmUp: quick ? 0 : 1 };
const afterWrite = quick ? 20 : 200;
const browser = { 'accept-encoding': 'gzip, deflate, br' };

type Target = 'gatewayCached' | 'directCached' | 'gatewayUncached' | 'directUncached' | 'baseline' | 'gatewayBaseline';

async function main(): Promise<void> {
  const db = await freshDatabase();
  const baseline = forkTs(join(__dirname, 'baseline.ts'));
  const load = startLoadGenerator();
  const runLoad = load.run;
  const stops: (() => Promise<void> | undefined)[] = [];
  const cached = await startServiceProcesses(db.source);
  // A second stack on the same database, its comments node without the cache (quick: that node alone).
  const uncached = await startServiceProcesses(
    db.source,
    { THREAD_CACHE_BYTES: '0' },
    quick ? { commentsOnly: { jwksUrl: `${cached.urls.auth}/auth/.well-known/jwks.json` } } : {},
  );
  try {
    const site = await newSite(db.source, 'bench-read');
    const article = 'five-hundred';
    const thread = await seedThread(db.source, { site, article, topLevel: 125, repliesPer: 3 });
    const { port } = await nextMessage<{ port: number }>(baseline, 'listening');
    // Full run: a gateway in front of the hello world too, what the hop costs with no work behind it.
    const hop = quick ? undefined : await startServiceProcesses(db.source, {}, { gatewayOnly: { upstream: `http://127.0.0.1:${port}` } });
    stops.push(() => hop?.stop());
    const path = `/api/sites/${site}/articles/${article}/comments`;
    const urls: Record<Target, string> = {
      gatewayCached: `${cached.urls.gateway}${path}`,
      directCached: `${cached.urls.comments[0]}${path}`,
      gatewayUncached: `${uncached.urls.gateway}${path}`,
      directUncached: `${uncached.urls.comments[0]}${path}`,
      baseline: `http://127.0.0.1:${port}/`,
      gatewayBaseline: `${hop?.urls.gateway ?? ''}/api/hello`,
    };

    // The page must be what a reader gets: 20 top-level comments carrying 60 replies.
    const check = await fetch(urls.gatewayCached);
    const page = (await check.json()) as { comments: { replies?: unknown[] }[]; article: { commentCount: number } };
    const shown = page.comments.length + page.comments.reduce((n, c) => n + (c.replies?.length ?? 0), 0);
    if (check.status !== 200 || page.comments.length !== 20 || shown !== 80 || page.article.commentCount !== thread.total) {
      throw new Error(`unexpected first page: ${check.status}, ${page.comments.length} top-level, ${shown} shown`);
    }
    const pageBytes = Buffer.byteLength(JSON.stringify(page));
    const brotliBytes = (await rawLength(urls.directCached, { 'accept-encoding': 'br' }));

    const runs: Partial<Record<Target, { saturation: LoadResult; fixed200?: LoadResult; fixed2000?: LoadResult; cpuSeconds?: Record<string, number> }>> = {};
    const order: Target[] = quick
      ? ['gatewayCached', 'directCached', 'directUncached', 'baseline']
      : ['gatewayCached', 'directCached', 'gatewayUncached', 'directUncached', 'baseline', 'gatewayBaseline'];
    for (const target of order) {
      const headers = target === 'baseline' || target === 'gatewayBaseline' ? {} : browser;
      const services = target.endsWith('Uncached') ? uncached : target === 'gatewayBaseline' ? hop! : cached;
      if (saturation.warmUp) await runLoad({ url: urls[target], connections: saturation.connections, duration: saturation.warmUp, headers });
      const cpuNow = () =>
        target === 'baseline' ? { 'node:http': cpuSeconds(baseline.pid!) } : { ...processCpu(services), ...(target === 'gatewayBaseline' ? { 'node:http': cpuSeconds(baseline.pid!) } : {}) };
      const before = cpuNow();
      const result = await runLoad({ url: urls[target], connections: saturation.connections, duration: saturation.duration, headers });
      const cpu = cpuSpent(before, cpuNow(), result.loadCpuSeconds);
      // Only the service processes the request went through.
      if (target.startsWith('direct')) delete cpu.gateway;
      delete cpu.auth;
      runs[target] = { saturation: result, cpuSeconds: cpu };
    }
    runs.gatewayCached!.fixed200 = await runLoad({ url: urls.gatewayCached, ...fixed200, headers: browser });
    runs.gatewayCached!.fixed2000 = await runLoad({ url: urls.gatewayCached, ...fixed2000, headers: browser });
    if (!quick) runs.gatewayUncached!.fixed200 = await runLoad({ url: urls.gatewayUncached, ...fixed200, headers: browser });

    const firstReadAfterWrite = await readsAfterWrites(cached, site, article, path, afterWrite);

    const rps = (target: Target) => runs[target]?.saturation.reqPerSec ?? NaN;
    const ratio = (a: number, b: number) => Number((a / b).toPrecision(3));
    const result = {
      benchmark: 'read',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: await versions(db.source),
      database: db.label,
      topology: cached.topology,
      thread: { comments: thread.total, topLevel: thread.topLevel, repliesPerComment: 3, firstPageComments: shown, firstPageBytes: pageBytes, firstPageBrotliBytes: brotliBytes },
      settings: { saturation, fixed200, fixed2000, afterWrite, acceptEncoding: browser['accept-encoding'] },
      runs,
      firstReadAfterWrite,
      ratios: {
        gatewayCachedToBaseline: ratio(rps('gatewayCached'), rps('baseline')),
        gatewayToDirectCached: ratio(rps('gatewayCached'), rps('directCached')),
        gatewayToDirectUncached: ratio(rps('gatewayUncached'), rps('directUncached')),
        cachedToUncachedDirect: ratio(rps('directCached'), rps('directUncached')),
        gatewayHopToBaseline: ratio(rps('gatewayBaseline'), rps('baseline')),
      },
    };
    const file = writeResult('read', result);
    console.log(
      `\nRead path: GET first page of a ${thread.total}-comment thread (${shown} comments, ${Math.round(pageBytes / 1024)} KB JSON, ` +
        `${(brotliBytes / 1024).toFixed(1)} KB brotli) as a browser asks — saturation ${saturation.connections} connections × ${saturation.duration} s; ` +
        `${db.label}, services in ${cached.topology}\n`,
    );
    const row = (label: string, target: Target) => {
      const r = runs[target];
      if (!r) return [label, '—', '—', '—', '—'];
      const errors = r.saturation.non2xx + r.saturation.errors;
      const cpu = Object.entries(r.cpuSeconds ?? {}).filter(([, s]) => s > 0.05).map(([name, s]) => `${name} ${s}`).join(', ');
      return [label, r.saturation.reqPerSec, r.saturation.latency.p50, r.saturation.latency.p99, errors, cpu || '—'];
    };
    console.log(
      markdownTable(
        ['read', 'req/s (saturation)', 'p50 ms', 'p99 ms', 'non-2xx/errors', `CPU seconds in the ${saturation.duration} s`],
        [
          row('thread page, cached, through the gateway', 'gatewayCached'),
          row('thread page, cached, comments directly', 'directCached'),
          row('thread page, uncached, through the gateway', 'gatewayUncached'),
          row('thread page, uncached, comments directly', 'directUncached'),
          row('node:http hello world (baseline)', 'baseline'),
          row('node:http hello world through the gateway (the hop alone)', 'gatewayBaseline'),
        ],
      ),
    );
    const fixedRow = (label: string, r?: LoadResult) =>
      r ? [label, r.reqPerSec, r.latency.p50, r.latency.p99, r.non2xx + r.errors] : [label, '—', '—', '—', '—'];
    console.log(
      `\n${markdownTable(
        ['at a fixed rate', 'achieved req/s', 'p50 ms', 'p99 ms', 'non-2xx/errors'],
        [
          fixedRow('cached, through the gateway, 200 req/s', runs.gatewayCached?.fixed200),
          fixedRow('cached, through the gateway, 2,000 req/s', runs.gatewayCached?.fixed2000),
          fixedRow('uncached, through the gateway, 200 req/s', runs.gatewayUncached?.fixed200),
          ['first read after a write, through the gateway (sequential)', '—', firstReadAfterWrite.p50, firstReadAfterWrite.p99, firstReadAfterWrite.misses],
        ],
      )}`,
    );
    console.log(
      `\ncached gateway / node:http: ${result.ratios.gatewayCachedToBaseline}; gateway/direct: cached ${result.ratios.gatewayToDirectCached}, ` +
        `uncached ${result.ratios.gatewayToDirectUncached}; cached/uncached (direct): ${result.ratios.cachedToUncachedDirect}`,
    );
    console.log(`written to ${file}`);
  } finally {
    for (const stop of stops) await stop();
    await load.stop();
    await stopChild(baseline);
    await uncached.stop();
    await cached.stop();
    await db.close();
  }
}

/**
 * The first read after a write, as the author's next read is: POST a comment through the gateway,
 * then time one GET of the page through the gateway (it must build the page again), `count` times.
 */
async function readsAfterWrites(services: BenchServices, site: string, article: string, path: string, count: number) {
  const register = await fetch(`${services.urls.gateway}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-after-write-${Date.now()}@example.com`, password: 'bench-password-1234', displayName: 'After Write' }),
  });
  if (register.status !== 201) throw new Error(`register answered ${register.status}`);
  const { accessToken } = (await register.json()) as { accessToken: string };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const samples: number[] = [];
  let misses = 0;
  try {
    let previous = '';
    for (let i = 0; i < count; i++) {
      const posted = await request(agent, `${services.urls.gateway}/api/sites/${site}/articles/${article}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ body: `Read-after-write ${i}` }),
      });
      if (posted.status !== 201) throw new Error(`POST answered ${posted.status}`);
      const started = performance.now();
      const read = await request(agent, `${services.urls.gateway}${path}`, { headers: browser });
      samples.push(performance.now() - started);
      // Each read must be a new version of the page (a new ETag), never the one before the write.
      if (read.status !== 200 || read.etag === previous) misses += 1;
      previous = read.etag;
    }
  } finally {
    agent.destroy();
  }
  return { ...summarize(samples), misses };
}

function request(agent: http.Agent, url: string, init: { method?: string; headers?: Record<string, string>; body?: string }): Promise<{ status: number; etag: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: init.method ?? 'GET', headers: init.headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, etag: String(res.headers.etag ?? '') }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

function rawLength(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => resolve(bytes));
      })
      .on('error', reject);
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
