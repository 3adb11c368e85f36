import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { createCommentsApp, loadCommentsConfig, schema as commentsSchema, migrations as commentsMigrations, createSite } from '@parley/comments';
import type { CommentsDatabase } from '@parley/comments';
import { connect, migrateToLatest } from '@parley/db';
import { listen, silentLogger } from '@parley/platform';
import { createTestTokens } from '@parley/tokens/testing';
import { freshDatabase, versions } from '../common';
import { machine, markdownTable, summarize, writeResult } from '../lib';

/**
 * Live fan-out: N sockets watch one article; a reply is POSTed; how long until the last socket has
 * it? Beside it, a plain Socket.IO broadcast of a same-sized message to N sockets (no HTTP, no
 * database) shows the limit the product is measured against.
 *
 *   pnpm bench:fanout [--sockets 1000] [--rounds 10] [--quick]
 * Uses DATABASE_URL's server (a fresh database, dropped afterwards) or an in-memory PGlite.
 */
const { values: args } = parseArgs({
  options: {
    sockets: { type: 'string', default: '1000' },
    rounds: { type: 'string', default: '20' },
    quick: { type: 'boolean', default: false },
  },
});
const socketsWanted = args.quick ? 200 : Number(args.sockets);
const rounds = args.quick ? 3 : Number(args.rounds);

function runClients(job: object): Promise<{ samples: number[]; lastPerRound: number[] }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'clients.ts'), [], { execArgv: ['--import', 'tsx'] });
    child.once('message', (result) => resolve(result as { samples: number[]; lastPerRound: number[] }));
    child.once('exit', (code) => code !== 0 && reject(new Error(`clients exited with ${code}`)));
    child.send(job);
  });
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  const migrator = connect<unknown>(db.source);
  await migrateToLatest(migrator, commentsSchema, commentsMigrations);
  await migrator.destroy();

  const tokens = createTestTokens();
  const node = createCommentsApp({
    config: loadCommentsConfig({ COMMENT_RATE_LIMIT: '100000', LOG_LEVEL: 'silent' }),
    database: db.source,
    logger: silentLogger(),
    tokenVerifier: tokens.verifier,
  });
  const server = await listen(node.app, 0);
  await node.attach(server.server);
  const setup = connect<CommentsDatabase>(db.source);
  const site = (await createSite(setup.withSchema(commentsSchema), { id: `bench-${randomUUID().slice(0, 8)}` })).id;
  await setup.destroy();
  const article = 'fanout';
  const token = tokens.sign({ sub: randomUUID(), name: 'Bench Poster' });
  const url = `http://127.0.0.1:${server.port}`;

  const rssBefore = process.memoryUsage().rss;
  const parley = await runClients({ url, sockets: socketsWanted, rounds, join: { site, article }, post: { url, token } });

  // Baseline: the same number of sockets and a message of the same size, straight from Socket.IO.
  const baselineHttp = await listen((_req, res) => res.end(), 0);
  const io = new Server(baselineHttp.server, { transports: ['websocket'], serveClient: false });
  const message = { site, article, seq: 1, comment: { id: randomUUID(), body: 'x'.repeat(400), html: '<p>' + 'x'.repeat(400) + '</p>' } };
  io.on('connection', (socket) => socket.on('go', () => io.emit('tick', message)));
  const baseline = await runClients({ url: `http://127.0.0.1:${baselineHttp.port}`, sockets: socketsWanted, rounds });
  await new Promise<void>((resolve) => io.close(() => resolve()));

  const measuredVersions = await versions(db.source);
  await node.stop();
  await server.close();
  await db.close();

  const result = {
    benchmark: 'fanout',
    date: new Date().toISOString(),
    quick: args.quick,
    machine: machine(),
    versions: measuredVersions,
    database: db.label,
    sockets: socketsWanted,
    rounds,
    parley: { allReceipts: summarize(parley.samples), lastSocket: summarize(parley.lastPerRound) },
    baseline: { allReceipts: summarize(baseline.samples), lastSocket: summarize(baseline.lastPerRound) },
    rssBeforeClientsMiB: Math.round(rssBefore / 2 ** 20),
  };
  const file = writeResult('fanout', result);
  console.log(`\nLive fan-out, ${socketsWanted} sockets in one article, ${rounds} rounds (${db.label}, ms)\n`);
  console.log(
    markdownTable(
      ['run', 'p50 (all receipts)', 'p99 (all receipts)', 'p50 last socket', 'p99 last socket', 'max'],
      [
        [
          'Parley: POST → receipt',
          result.parley.allReceipts.p50,
          result.parley.allReceipts.p99,
          result.parley.lastSocket.p50,
          result.parley.lastSocket.p99,
          result.parley.allReceipts.max,
        ],
        [
          'Socket.IO broadcast (baseline)',
          result.baseline.allReceipts.p50,
          result.baseline.allReceipts.p99,
          result.baseline.lastSocket.p50,
          result.baseline.lastSocket.p99,
          result.baseline.allReceipts.max,
        ],
      ],
    ),
  );
  console.log(`\nwritten to ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
