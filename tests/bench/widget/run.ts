import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSite } from '@parley/demo-site';
import { freePort } from '@parley/platform';
import { buildWidget, loaderBudgetGzipBytes, widgetBudgetGzipBytes } from '@parley/widget';
import { migrateAll } from '../../../scripts/stack';
import { launchChromium } from '../../browser/browser';
import { machine, markdownTable, summarize, writeResult } from '../lib';
import { freshDatabase, newSite, quick, round1, seedThread, startBenchStack, versions } from '../common';

/**
 * The widget: gzip sizes of embed.js (the loader) and of everything the widget loads (widget.js
 * and its chunks, the live client included), from a fresh production build; and how fast a
 * 500-comment thread (125 top-level comments × 3 replies) renders in headless Chromium on the
 * demo publisher page, the widget coming cross-origin from the gateway.
 *
 * Timings come from inside the page (performance.now(), relative to navigation start), checked
 * once per animation frame by a script injected before the page's own, counting `article.c`
 * elements (one per comment) in the widget's shadow root:
 * - first 20: navigation start → the first frame with ≥ 20 comments in the DOM;
 * - first page: navigation start → the first frame with all of page 1 (20 top-level comments + their
 *   60 replies = 80);
 * - load all: the in-page script clicks "Load more comments" as soon as page 1 is there, and again
 *   whenever the button is back: first click → the first frame with all 500 comments (6 pages more).
 * Each run uses a new browser context (cold cache); medians of the runs are reported.
 *
 *   tsx tests/bench/widget/run.ts [--quick]
 */
const runs = quick ? 1 : 5;

declare global {
  interface Window {
    __parleyBench?: { marks: Record<string, number> };
  }
}

/**
 * Injected before the page's own scripts. Plain JavaScript in a string: a function passed to the
 * page would carry tsx's helper calls (`__name`) that don't exist there.
 */
function frameWatcher(expect: { firstPage: number; total: number }): string {
  return `(() => {
    const bench = { marks: {} };
    window.__parleyBench = bench;
    const loop = () => {
      const root = document.querySelector('parley-comments')?.shadowRoot;
      const n = root ? root.querySelectorAll('article.c').length : 0;
      const m = bench.marks;
      const now = performance.now();
      if (n >= 20 && m.first20 === undefined) m.first20 = now;
      if (n >= ${expect.firstPage} && m.firstPage === undefined) m.firstPage = now;
      if (m.firstPage !== undefined && root) {
        const more = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Load more comments' && !b.disabled);
        if (more && n < ${expect.total}) {
          if (m.loadStart === undefined) m.loadStart = now;
          more.click();
        }
        if (n >= ${expect.total} && m.all === undefined) m.all = now;
      }
      if (m.all === undefined) requestAnimationFrame(loop);
    };
    requestAnimationFrame(loop);
  })();`;
}

async function main(): Promise<void> {
  const widgetDir = await mkdtemp(join(tmpdir(), 'parley-bench-widget-'));
  const build = await buildWidget({ outdir: widgetDir });
  const db = await freshDatabase();
  const demoPort = await freePort();
  const demoOrigin = `http://127.0.0.1:${demoPort}`;
  await migrateAll(db.source);
  const site = await newSite(db.source, 'bench-widget', [demoOrigin]);
  const thread = await seedThread(db.source, { site, article: 'council-vote', topLevel: 125, repliesPer: 3 });
  const stack = await startBenchStack(db.source, { WIDGET_DIR: widgetDir });
  const demo = await startDemoSite({ port: demoPort, parleyUrl: stack.urls.gateway, demoUrl: demoOrigin, siteId: site });
  const browser = await launchChromium();
  try {
    const samples: Record<string, number>[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      try {
        const page = await context.newPage();
        await page.addInitScript(frameWatcher({ firstPage: 80, total: thread.total }));
        await page.goto(`${demo.url}/articles/council-vote.html`);
        await page.waitForFunction(() => window.__parleyBench?.marks.all !== undefined, undefined, { timeout: 60_000 }).catch(async (error: unknown) => {
          const state = await page.evaluate(() => {
            const root = document.querySelector('parley-comments')?.shadowRoot;
            return {
              marks: window.__parleyBench?.marks,
              comments: root?.querySelectorAll('article.c').length,
              buttons: [...(root?.querySelectorAll('button') ?? [])].map((b) => b.textContent).slice(0, 10),
              text: root?.textContent?.slice(0, 300),
            };
          });
          throw new Error(`the thread did not finish rendering: ${JSON.stringify(state)}`, { cause: error });
        });
        const marks = await page.evaluate(() => window.__parleyBench!.marks);
        samples.push({
          first20: marks.first20!,
          firstPage: marks.firstPage!,
          loadAll: marks.all! - marks.loadStart!,
          navigationToAll: marks.all!,
        });
      } finally {
        await context.close();
      }
    }
    const median = (key: string) => summarize(samples.map((s) => s[key]!)).p50;
    const result = {
      benchmark: 'widget',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: { ...(await versions(db.source)), chromium: browser.version() },
      database: db.label,
      sizes: {
        loaderGzipBytes: build.loaderGzipBytes,
        widgetGzipBytes: build.widgetGzipBytes,
        loaderBudgetGzipBytes,
        widgetBudgetGzipBytes,
        files: build.files,
      },
      render: {
        definition:
          'ms from navigation start, measured in the page once per animation frame: first20 = ≥20 comments in the widget DOM; ' +
          'firstPage = all 80 comments of page 1 (20 top-level + 60 replies); loadAll = first "Load more comments" click → all 500 ' +
          'comments in the DOM (6 more pages, clicked by the in-page script as soon as the button is back). New browser context per run; medians.',
        thread: { comments: thread.total, topLevel: thread.topLevel, repliesPerComment: 3 },
        runs,
        samples,
        medianMs: { first20: round1(median('first20')), firstPage: round1(median('firstPage')), loadAll: round1(median('loadAll')) },
      },
    };
    const file = writeResult('widget', result);
    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`;
    console.log(`\nWidget: production build sizes, and rendering a ${thread.total}-comment thread in headless Chromium ${browser.version()} (median of ${runs})\n`);
    console.log(
      markdownTable(
        ['figure', 'value'],
        [
          ['loader embed.js (gzip)', kb(build.loaderGzipBytes)],
          ['full widget: widget.js + chunks, live client included (gzip)', kb(build.widgetGzipBytes)],
          ['navigation → 20 comments rendered', `${result.render.medianMs.first20} ms`],
          ['navigation → page 1 rendered (20 top-level + 60 replies)', `${result.render.medianMs.firstPage} ms`],
          ['"Load more comments" (×6) → all 500 rendered', `${result.render.medianMs.loadAll} ms`],
        ],
      ),
    );
    console.log(`\nwritten to ${file}`);
  } finally {
    await browser.close();
    await demo.close();
    await stack.stop();
    await db.close();
    await rm(widgetDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
