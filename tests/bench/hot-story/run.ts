import http from 'node:http';
import { join } from 'node:path';
import { machine, markdownTable, summarize, writeResult } from '../lib';
import { cpuSpent, forkTs, freshDatabase, newSite, nextMessage, processCpu, quick, seedThread, startLoadGenerator, startServiceProcesses, stopChild, versions } from '../common';

/**
 * A hot story, everything at once for a bounded time, localhost only: live readers in one article
 * (1,000; quick 200) connected through the gateway, 5 new comments a second posted through the
 * gateway by a few accounts, and page loads of the article's first page as fast as the stack
 * serves them (autocannon, 20 connections, as a browser asks). Reported together: page loads per
 * second and their p50/p99, POST p50/p99, and fan-out — from the start of each POST to its arrival
 * at every reader — p50/p99 over all receipts and over the last reader of each comment.
 *
 *   tsx tests/bench/hot-story/run.ts [--quick]
 */
const readers = quick ? 200 : 1000;
const seconds = quick ? 3 : 15;
const postsPerSecond = 5;
const pageConnections = 20;
const browser = { 'accept-encoding': 'gzip, deflate, br' };
const now = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const db = await freshDatabase();
  const services = await startServiceProcesses(db.source);
  const clients = forkTs(join(__dirname, 'readers.ts'));
  // Forked now, so the page loads start the moment the posting does.
  const load = startLoadGenerator();
  try {
    const site = await newSite(db.source, 'bench-hot');
    const article = 'hot-story';
    await seedThread(db.source, { site, article, topLevel: 125, repliesPer: 3 });
    const gateway = services.urls.gateway;
    const page = `${gateway}/api/sites/${site}/articles/${article}/comments`;
    const tokens: string[] = [];
    for (let i = 0; i < (quick ? 2 : 5); i++) {
      const res = await fetch(`${gateway}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: `hot-${i}-${Date.now()}@example.com`, password: 'bench-password-1234', displayName: `Hot Poster ${i}` }),
      });
      if (res.status !== 201) throw new Error(`register answered ${res.status}`);
      tokens.push(((await res.json()) as { accessToken: string }).accessToken);
    }

    const ready = nextMessage(clients, 'ready', 180_000);
    clients.send({ type: 'start', job: { url: gateway, sockets: readers, site, article } });
    await ready;
    if ((await fetch(page, { headers: browser })).status !== 200) throw new Error('the page does not answer');

    const cpuBefore = processCpu(services);
    const loads = load.run({ url: page, connections: pageConnections, duration: seconds, headers: browser });
    const posts = await postAtRate(`${gateway}/api/sites/${site}/articles/${article}/comments`, tokens, seconds);
    const pageLoads = await loads;
    const cpu = cpuSpent(cpuBefore, processCpu(services), pageLoads.loadCpuSeconds);
    // The last pushes may still be on their way.
    await new Promise((resolve) => setTimeout(resolve, quick ? 500 : 1000));
    const done = nextMessage<{ receipts: [string, number[]][] }>(clients, 'receipts');
    clients.send({ type: 'stop' });
    const receipts = new Map((await done).receipts);

    const fanout: number[] = [];
    const lastReader: number[] = [];
    let missing = 0;
    for (const post of posts.filter((p) => p.id)) {
      const arrivals = receipts.get(post.id!) ?? [];
      missing += readers - arrivals.length;
      for (const at of arrivals) fanout.push(at - post.started);
      if (arrivals.length) lastReader.push(Math.max(...arrivals) - post.started);
    }
    const postLatency = summarize(posts.map((p) => p.ms));
    const result = {
      benchmark: 'hot-story',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: await versions(db.source),
      database: db.label,
      topology: services.topology,
      settings: { readers, seconds, postsPerSecond, pageConnections, acceptEncoding: browser['accept-encoding'], threadComments: 500 },
      pageLoads,
      posts: { ...postLatency, failed: posts.filter((p) => p.status !== 201).length },
      fanout: { allReceipts: summarize(fanout), lastReader: summarize(lastReader), missingReceipts: missing },
      cpuSeconds: cpu,
    };
    const file = writeResult('hot-story', result);
    console.log(
      `\nHot story: ${readers} live readers in one article, ${postsPerSecond} comments/s, page loads at saturation (${pageConnections} connections), ` +
        `${seconds} s, through the gateway (${db.label}, services in ${services.topology}; ms)\n`,
    );
    console.log(
      markdownTable(
        ['what', 'count', 'rate /s', 'p50', 'p99', 'max'],
        [
          ['page load (first page, cached)', pageLoads.requests, pageLoads.reqPerSec, pageLoads.latency.p50, pageLoads.latency.p99, pageLoads.latency.max],
          ['POST comment', postLatency.count, round(postLatency.count / seconds), postLatency.p50, postLatency.p99, postLatency.max],
          ['fan-out POST → each reader', result.fanout.allReceipts.count, '—', result.fanout.allReceipts.p50, result.fanout.allReceipts.p99, result.fanout.allReceipts.max],
          ['fan-out POST → last reader', result.fanout.lastReader.count, '—', result.fanout.lastReader.p50, result.fanout.lastReader.p99, result.fanout.lastReader.max],
        ],
      ),
    );
    console.log(`\nnon-2xx page loads ${pageLoads.non2xx + pageLoads.errors}, failed posts ${result.posts.failed}, receipts missing ${missing}`);
    console.log(`CPU seconds in the ${seconds} s: ${Object.entries(cpu).map(([name, s]) => `${name} ${s}`).join(', ')}`);
    console.log(`written to ${file}`);
  } finally {
    await load.stop();
    await stopChild(clients);
    await services.stop();
    await db.close();
  }
}

/** POSTs `perSecond` comments a second (each on its own schedule, never waiting for the one before) for `seconds`. */
async function postAtRate(url: string, tokens: string[], seconds: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
  const results: { id?: string; started: number; ms: number; status: number }[] = [];
  const inFlight: Promise<void>[] = [];
  const total = seconds * postsPerSecond;
  const began = performance.now();
  for (let i = 0; i < total; i++) {
    const due = began + (i * 1000) / postsPerSecond;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    inFlight.push(
      post(agent, url, tokens[i % tokens.length]!, `Breaking: reader comment ${i} on the hot story.`).then((r) => void results.push(r)),
    );
  }
  await Promise.all(inFlight);
  agent.destroy();
  return results;
}

function post(agent: http.Agent, url: string, token: string, body: string): Promise<{ id?: string; started: number; ms: number; status: number }> {
  const started = now();
  const t0 = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const ms = performance.now() - t0;
        const id = res.statusCode === 201 ? (JSON.parse(text) as { comment: { id: string } }).comment.id : undefined;
        resolve({ ...(id ? { id } : {}), started, ms, status: res.statusCode ?? 0 });
      });
    });
    req.on('error', reject);
    req.end(JSON.stringify({ body }));
  });
}

const round = (n: number) => Math.round(n * 10) / 10;

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
