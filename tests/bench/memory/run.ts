import { join } from 'node:path';
import { schema as commentsSchema, migrations as commentsMigrations } from '@parley/comments';
import { connect, migrateToLatest } from '@parley/db';
import { machine, markdownTable, writeResult } from '../lib';
import { forkTs, freshDatabase, newSite, nextMessage, quick, round1, seedThread, stopChild, versions } from '../common';

/**
 * Memory per idle reader: a comments node alone in a child process (--expose-gc); another child
 * opens N WebSocket connections that each join one article and then stay idle. The node's RSS,
 * after two forced GCs, is read before and after: (after − before) / N is what one idle reader
 * costs the comments process (socket, Socket.IO and engine.io state, room membership, buffers).
 *
 *   tsx tests/bench/memory/run.ts [--quick] [--readers 5000]
 */
const readersArg = process.argv.indexOf('--readers');
const readers = quick ? 500 : readersArg > 0 ? Number(process.argv[readersArg + 1]) : 5000;

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
  gcExposed: boolean;
}

async function main(): Promise<void> {
  const db = await freshDatabase();
  if (db.source.kind !== 'postgres') {
    // The node runs in another process, which can't share an in-memory PGlite.
    console.log('\nMemory per reader: skipped (needs DATABASE_URL: the comments node runs in its own process)');
    writeResult('memory', { benchmark: 'memory', date: new Date().toISOString(), quick, skipped: 'no DATABASE_URL' });
    await db.close();
    return;
  }
  const server = forkTs(join(__dirname, 'server.ts'), { execArgv: ['--expose-gc'] });
  const clients = forkTs(join(__dirname, 'readers.ts'));
  try {
    const migrator = connect<unknown>(db.source);
    await migrateToLatest(migrator, commentsSchema, commentsMigrations);
    await migrator.destroy();
    const site = await newSite(db.source, 'bench-memory');
    const article = 'quiet-evening';
    await seedThread(db.source, { site, article, topLevel: 20 });

    const listening = nextMessage<{ url: string }>(server, 'listening');
    server.send({ type: 'start', databaseUrl: db.source.url });
    const { url } = await listening;
    const measure = async () => {
      const reply = nextMessage<Memory>(server, 'memory');
      server.send({ type: 'memory' });
      return reply;
    };
    const ask = async (type: 'warm' | 'connect', count: number, answer: string) => {
      const reply = nextMessage<{ count: number }>(clients, answer, 300_000);
      clients.send({ type, url, count, join: { site, article } });
      return (await reply).count;
    };

    await ask('warm', 50, 'warmed');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await measure();
    const started = performance.now();
    const connected = await ask('connect', readers, 'connected');
    const connectSeconds = (performance.now() - started) / 1000;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const after = await measure();

    const perReader = (key: 'rss' | 'heapUsed' | 'external') => round1((after[key] - before[key]) / connected / 1024);
    const result = {
      benchmark: 'memory',
      date: new Date().toISOString(),
      quick,
      machine: machine(),
      versions: await versions(db.source),
      database: db.label,
      readers: connected,
      transport: 'websocket',
      gcExposed: after.gcExposed,
      connectSeconds: round1(connectSeconds),
      before,
      after,
      perReaderKB: { rss: perReader('rss'), heapUsed: perReader('heapUsed'), external: perReader('external') },
    };
    const file = writeResult('memory', result);
    const mib = (n: number) => round1(n / 2 ** 20);
    console.log(`\nMemory of the comments process per idle reader: ${connected} WebSocket readers in one article (${db.label})\n`);
    console.log(
      markdownTable(
        ['measure', 'before (MiB)', `after ${connected} readers (MiB)`, 'per reader (KB)'],
        [
          ['RSS', mib(before.rss), mib(after.rss), result.perReaderKB.rss],
          ['JS heap used', mib(before.heapUsed), mib(after.heapUsed), result.perReaderKB.heapUsed],
          ['external (buffers)', mib(before.external), mib(after.external), result.perReaderKB.external],
        ],
      ),
    );
    console.log(`\n${connected} readers connected and joined in ${result.connectSeconds} s; written to ${file}`);
  } finally {
    await stopChild(clients);
    await stopChild(server);
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
