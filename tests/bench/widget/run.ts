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
 * Live: with all 500 comments on screen, one reply to a comment of page 1 is posted through the
 * gateway (as another reader would) and timed inside the page: the WebSocket message carrying it
 * arrives (a listener added before socket.io's own, by wrapping WebSocket) → the store has applied
 * it and the DOM holds it (a MutationObserver's callback, which runs once the applying task ends).
 * The same observer counts the comment views whose main part was redrawn (issue 13: a count bump
 * used to redraw all 500). `liveRuns` replies, one at a time; medians.
 *
 *   tsx tests/bench/widget/run.ts [--quick]
 */
const runs = quick ? 1 : 5;
const liveRuns = quick ? 3 : 15;

declare global {
  interface Window {
    __parleyBench?: { marks: Record<string, number> };
    __parleySocketOpen?: boolean;
    __parleyLive?: { marker: string; arrived: number | null; applied: number | null; redrawn: string[] };
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

/** Injected before the page's scripts: notes when a WebSocket message carrying the armed marker arrives. */
const socketWatcher = `(() => {
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('open', () => { window.__parleySocketOpen = true; });
      this.addEventListener('message', (event) => {
        const live = window.__parleyLive;
        if (live && live.arrived === null && typeof event.data === 'string' && event.data.includes(live.marker)) live.arrived = performance.now();
      });
    }
  };
})();`;

/** Arms the page for one live comment: the observer notes when it is in the DOM and which views were redrawn. */
function armLive(marker: string): string {
  return `(() => {
    const root = document.querySelector('parley-comments').shadowRoot;
    const live = { marker: ${JSON.stringify(marker)}, arrived: null, applied: null, redrawn: [] };
    window.__parleyLive = live;
    const redrawn = new Set();
    const observer = new MutationObserver((records) => {
      const now = performance.now();
      for (const record of records) {
        const main = record.target.nodeType === 1 && record.target.classList.contains('c-main') ? record.target : null;
        if (main) redrawn.add(main.parentElement.getAttribute('data-id'));
      }
      if (live.applied === null && [...root.querySelectorAll('.c-text')].some((el) => el.textContent.includes(live.marker))) {
        live.applied = now;
        // Let the rest of this event's work (the count) land before counting the views redrawn.
        setTimeout(() => { live.redrawn = [...redrawn]; observer.disconnect(); }, 300);
      }
    });
    observer.observe(root, { childList: true, subtree: true });
  })();`;
}

async function liveApply(pageUrl: string, browser: Awaited<ReturnType<typeof launchChromium>>, gateway: string, site: string, total: number) {
  const register = await fetch(`${gateway}/auth/register`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: `bench-live-${Date.now()}@example.com`, password: 'bench-password-1234', displayName: 'Live Writer' }),
  });
  if (register.status !== 201) throw new Error(`register answered ${register.status}`);
  const { accessToken } = (await register.json()) as { accessToken: string };
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(frameWatcher({ firstPage: 80, total }));
    await page.addInitScript(socketWatcher);
    await page.goto(pageUrl);
    await page.waitForFunction(() => window.__parleyBench?.marks.all !== undefined, undefined, { timeout: 60_000 });
    const parents = await page.evaluate(() =>
      [...document.querySelector('parley-comments')!.shadowRoot!.querySelectorAll('.list > article.c')].slice(0, 20).map((el) => el.getAttribute('data-id')!),
    );
    // The live stream is joined once the page has loaded; wait for its socket before the first post.
    await page.waitForFunction(() => window.__parleySocketOpen === true, undefined, { timeout: 30_000 });
    // …and its join of the article's room (one round trip after the socket opens).
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const samples: { applyMs: number; redrawn: number }[] = [];
    for (let i = 0; i < liveRuns; i++) {
      const marker = `live-bench-${i}-${Date.now()}`;
      await page.evaluate(armLive(marker));
      const res = await fetch(`${gateway}/api/sites/${encodeURIComponent(site)}/articles/council-vote/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
        body: JSON.stringify({ body: `A live reply ${marker}`, parentId: parents[i % parents.length] }),
      });
      if (res.status !== 201) throw new Error(`post answered ${res.status}: ${await res.text()}`);
      await page.waitForFunction(() => window.__parleyLive?.applied !== null && (window.__parleyLive?.redrawn.length ?? 0) > 0, undefined, { timeout: 30_000 });
      const live = await page.evaluate(() => window.__parleyLive!);
      if (live.arrived === null) throw new Error('the live message was not seen on the socket');
      samples.push({ applyMs: live.applied! - live.arrived, redrawn: live.redrawn.length });
    }
    return samples;
  } finally {
    await context.close();
  }
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
    const live = await liveApply(`${demo.url}/articles/council-vote.html`, browser, stack.urls.gateway, site, thread.total);
    const liveApplyMs = summarize(live.map((sample) => sample.applyMs));
    const redrawnMax = Math.max(...live.map((sample) => sample.redrawn));
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
      live: {
        definition:
          'one reply to a page-1 comment posted through the gateway while all 500 comments are on screen: ms from its WebSocket message ' +
          'arriving in the page to the DOM holding it (MutationObserver callback after the applying task); redrawn = comment views whose ' +
          'main part changed for that event (the parent, whose reply count changed, and the new reply).',
        runs: liveRuns,
        samples: live,
        applyMs: { p50: round1(liveApplyMs.p50), p99: round1(liveApplyMs.p99) },
        redrawnMax,
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
          [
            'one live comment applied to the 500-comment thread (message → in the DOM)',
            `${result.live.applyMs.p50} ms p50, ${result.live.applyMs.p99} ms p99; views redrawn ≤ ${redrawnMax}`,
          ],
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
