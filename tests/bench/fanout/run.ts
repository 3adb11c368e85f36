import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Server } from 'socket.io';
import { createCommentsApp, loadCommentsConfig, schema as commentsSchema, migrations as commentsMigrations, createSite } from '@parley/comments';
import type { CommentsDatabase } from '@parley/comments';
import { sql } from 'kysely';
import { connect, migrateToLatest, type DatabaseSource } from '@parley/db';
import { hasRedisServer, startRedisServer } from '../../support/redis-server';
import { listen, sharedRedis, silentLogger } from '@parley/platform';
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
    // Also measure what N readers cost PostgreSQL and Redis (joining, per pushed comment, idle):
    // the node then runs with a Redis of its own, as with several nodes. Adds ~35 s (stats flush).
    load: { type: 'boolean', default: false },
  },
});
const socketsWanted = args.quick ? 200 : Number(args.sockets);
const rounds = args.quick ? 3 : Number(args.rounds);

function runClients(job: object, onPhase?: (name: string) => Promise<void>): Promise<{ samples: number[]; lastPerRound: number[] }> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'clients.ts'), [], { execArgv: ['--import', 'tsx'] });
    child.on('message', (message: { type?: string; name?: string }) => {
      if (message.type === 'phase') {
        void onPhase!(message.name!).then(() => child.send({ type: 'go' }));
        return;
      }
      resolve(message as unknown as { samples: number[]; lastPerRound: number[] });
    });
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
  const redis = args.load && hasRedisServer ? await startRedisServer() : undefined;
  const node = createCommentsApp({
    config: loadCommentsConfig({ COMMENT_RATE_LIMIT: '100000', LOG_LEVEL: 'silent', ...(redis ? { REDIS_URL: redis.url } : {}) }),
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
  const meter = args.load ? await loadMeter(db.source, redis?.url) : undefined;
  const load: Record<string, { pgTransactions: number; pgRowsRead: number; redisCommands: number | null; seconds: number }> = {};
  let mark = meter ? await meter.read() : undefined;
  const parley = await runClients({ url, sockets: socketsWanted, rounds, join: { site, article }, post: { url, token }, phases: Boolean(meter) }, async (name) => {
    if (!meter || !mark) return;
    // PostgreSQL publishes a busy backend's counters at most once a second and an idle one's within 10 s.
    await new Promise((resolve) => setTimeout(resolve, 11_000));
    const now = await meter.read();
    load[name === 'joined' ? `${socketsWanted} sockets connect and join` : `${rounds + 2} comments pushed to them`] = meter.delta(mark, now);
    mark = now;
    if (name === 'rounds') {
      // The same sockets sitting idle (heartbeats and the relay's checks only) for ~20 s.
      await new Promise((resolve) => setTimeout(resolve, 9_000));
      const idle = await meter.read();
      load[`${socketsWanted} sockets idle`] = meter.delta(mark, idle);
    }
  });
  await meter?.close();
  await redis?.stop();

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
    ...(meter ? { load } : {}),
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
  if (meter) {
    console.log(`\nWhat it cost PostgreSQL and Redis (whole phase; counters of pg_stat_database and Redis INFO)\n`);
    console.log(
      markdownTable(
        ['phase', 'seconds', 'PG transactions', 'PG rows read', 'Redis commands'],
        Object.entries(load).map(([name, one]) => [name, one.seconds, one.pgTransactions, one.pgRowsRead, one.redisCommands ?? 'n/a']),
      ),
    );
  }
  console.log(`\nwritten to ${file}`);
}

/** Counters of this database in PostgreSQL and of the node's Redis, to difference over a phase. */
async function loadMeter(source: DatabaseSource, redisUrl: string | undefined) {
  if (source.kind !== 'postgres') throw new Error('--load needs DATABASE_URL (the counters are PostgreSQL\'s)');
  const pg = connect<unknown>({ ...source, maxConnections: 1 });
  const connection = redisUrl ? sharedRedis(redisUrl, silentLogger(), 'bench counters') : undefined;
  const redis = connection?.client;
  for (let attempt = 0; redis && !redis.isReady && attempt < 100; attempt++) await new Promise((resolve) => setTimeout(resolve, 50));
  type Reading = { at: number; xacts: number; rows: number; commands: number | null };
  return {
    async read(): Promise<Reading> {
      const { rows } = await sql<{ xacts: number; rows: number }>`
        select xact_commit + xact_rollback as xacts, tup_returned + tup_fetched as rows
        from pg_stat_database where datname = current_database()`.execute(pg);
      const info = redis ? await redis.info('stats') : '';
      const commands = redis ? Number(/total_commands_processed:(\d+)/.exec(info)?.[1]) : null;
      return { at: Date.now(), xacts: Number(rows[0]!.xacts), rows: Number(rows[0]!.rows), commands };
    },
    delta(from: Reading, to: Reading) {
      return {
        pgTransactions: to.xacts - from.xacts,
        pgRowsRead: to.rows - from.rows,
        redisCommands: from.commands === null || to.commands === null ? null : to.commands - from.commands,
        seconds: Math.round((to.at - from.at) / 1000),
      };
    },
    async close() {
      await pg.destroy();
      await connection?.close();
    },
  };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
