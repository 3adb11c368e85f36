import { sql } from 'kysely';
import { connect } from '@parley/db';
import { machine, markdownTable, writeResult } from '../lib';
import { freshDatabase, newSite, quick, runLoad, seedThread, startBenchStack, versions } from '../common';

/**
 * Paging: an article with 10,000 top-level comments, read newest first 20 at a time (the default
 * page). Page 100 is reached by walking the cursor from page 1, as a reader clicking "Load more"
 * would; then page 1 and page 100 are each requested over and over, one request at a time,
 * directly from the comments service (the query's cost without the gateway's constant part).
 * Keyset pagination should make both cost the same. The EXPLAIN ANALYZE of page 100's keyset
 * query goes into the JSON.
 *
 *   tsx tests/bench/paging/run.ts [--quick]
 */
const comments = 10_000;
const pageSize = 20;
const targetPage = 100;
const requests = quick ? 150 : 1500;

interface Page {
  comments: { id: string }[];
  nextCursor: string | null;
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  const stack = await startBenchStack(db.source);
  try {
    const site = await newSite(db.source, 'bench-paging');
    const article = 'ten-thousand';
    const seeded = await seedThread(db.source, { site, article, topLevel: comments });
    const base = `${stack.urls.comments}/api/sites/${site}/articles/${article}/comments?limit=${pageSize}`;

    // Walk the cursor to page 100.
    let url = base;
    let cursor: string | null = null;
    let page: Page | undefined;
    for (let n = 1; n <= targetPage; n++) {
      url = cursor ? `${base}&cursor=${encodeURIComponent(cursor)}` : base;
      const res = await fetch(url);
      if (res.status !== 200) throw new Error(`page ${n} answered ${res.status}`);
      page = (await res.json()) as Page;
      cursor = page.nextCursor;
      if (!cursor) throw new Error(`the walk ended at page ${n}`);
    }
    const page100Url = url;
    const page100Ids = page!.comments.map((c) => c.id);

    const load = (target: string) => runLoad({ url: target, connections: 1, sequential: true, amount: requests, warmUp: 1 });
    const page1 = await load(base);
    const page100 = await load(page100Url);

    // The keyset query of page 100, as threads.repository's listTopLevelComments writes it for an
    // anonymous reader, sort=newest, limit + 1 rows (the extra one says whether a next page exists).
    const after = JSON.parse(Buffer.from(new URL(page100Url).searchParams.get('cursor')!, 'base64url').toString()) as { t: string; id: string };
    const conn = connect<unknown>(db.source);
    let explain: string[];
    let explainPage1: string[];
    try {
      const keyset = (cursorClause: ReturnType<typeof sql>) => sql`
        select * from comments.comments
        where article_id = ${seeded.articleId}::uuid and parent_id is null and published_at is not null ${cursorClause}
        order by created_at desc, id desc limit ${pageSize + 1}`;
      const page100Query = keyset(sql`and (created_at, id) < (${after.t}::timestamptz, ${after.id}::uuid)`);
      const rows = await page100Query.execute(conn);
      const ids = (rows.rows as { id: string }[]).slice(0, pageSize).map((r) => r.id);
      if (ids.join() !== page100Ids.join()) throw new Error('the hand-written keyset query does not return what the API returned for page 100');
      const plan = async (query: ReturnType<typeof sql>) =>
        (await sql<{ 'QUERY PLAN': string }>`explain (analyze, buffers) ${query}`.execute(conn)).rows.map((r) => r['QUERY PLAN']);
      explain = await plan(page100Query);
      explainPage1 = await plan(keyset(sql``));
    } finally {
      await conn.destroy();
    }

    const result = {
      benchmark: 'paging',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: await versions(db.source),
      database: db.label,
      article: { topLevelComments: comments, pageSize, sort: 'newest' },
      requestsEach: requests,
      page1,
      page100,
      ratioP50: Number((page100.latency.p50 / page1.latency.p50).toPrecision(3)),
      ratioP99: Number((page100.latency.p99 / page1.latency.p99).toPrecision(3)),
      explainAnalyzePage100: explain,
      explainAnalyzePage1: explainPage1,
    };
    const file = writeResult('paging', result);
    console.log(
      `\nPaging: ${comments.toLocaleString('en')} top-level comments, newest first, ${pageSize} a page; ` +
        `${requests} sequential GETs of each page, comments service directly (${db.label}, ms)\n`,
    );
    console.log(
      markdownTable(
        ['page', 'p50', 'p99', 'max', 'req/s (1 connection)', 'non-2xx'],
        [
          ['page 1', page1.latency.p50, page1.latency.p99, page1.latency.max, page1.reqPerSec, page1.non2xx],
          [`page ${targetPage} (cursor walk)`, page100.latency.p50, page100.latency.p99, page100.latency.max, page100.reqPerSec, page100.non2xx],
        ],
      ),
    );
    console.log(`\npage ${targetPage} / page 1: p50 ×${result.ratioP50}, p99 ×${result.ratioP99}`);
    console.log(`\nEXPLAIN ANALYZE, page ${targetPage} keyset query:\n${explain.map((l) => `    ${l}`).join('\n')}`);
    console.log(`\nwritten to ${file}`);
  } finally {
    await stack.stop();
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
