import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { schema as commentsSchema, createSite } from '@parley/comments';
import type { CommentsDatabase } from '@parley/comments';
import { connect, openEmbedded, type DatabaseSource } from '@parley/db';
import { generateSigningKeyPem } from '@parley/tokens';
import { migrateAll, startStack, type Stack } from '../../scripts/stack';
import type { LoadJob, LoadResult } from './load';

/**
 * What the benchmark scripts share: a fresh database per run, forking helper processes (load
 * generator, socket clients, a server of its own), bulk seeding of long threads, and the versions
 * a result was measured with.
 */

export const quick = process.argv.includes('--quick');

export interface BenchDatabase {
  source: DatabaseSource;
  label: string;
  close(): Promise<void>;
}

/** A new database on DATABASE_URL's server, dropped on close; an in-memory PGlite without it. */
export async function freshDatabase(prefix = 'parley_bench'): Promise<BenchDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const pglite = await openEmbedded();
    return { source: { kind: 'pglite', pglite }, label: 'embedded PGlite', close: () => pglite.close() };
  }
  const name = `${prefix}_${Date.now()}_${process.pid}`;
  const admin = connect<unknown>({ kind: 'postgres', url: serverUrl, maxConnections: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    source: { kind: 'postgres', url: url.toString() },
    label: 'PostgreSQL',
    async close() {
      await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
      await admin.destroy();
    },
  };
}

/** Client-wide limits lifted so that only the machine limits a benchmark, never a rate limiter. */
export const unlimited: Record<string, string> = {
  GATEWAY_RATE_LIMIT: '100000000',
  COMMENT_RATE_LIMIT: '100000000',
  LOGIN_RATE_LIMIT_PER_ACCOUNT: '100000000',
  LOGIN_RATE_LIMIT_PER_IP: '100000000',
  REGISTER_RATE_LIMIT_PER_IP: '100000000',
  // Every benchmark socket comes from 127.0.0.1.
  LIVE_MAX_SOCKETS_PER_ADDRESS: '100000',
};

/** The whole stack (auth + comments + gateway, one process: this one) on a migrated database. */
export async function startBenchStack(source: DatabaseSource, env: Record<string, string> = {}): Promise<Stack> {
  const dataDir = await mkdtemp(join(tmpdir(), 'parley-bench-'));
  try {
    const stack = await startStack({
      database: source,
      dataDir,
      ports: { gateway: 0, auth: 0, comments: 0 },
      env: { ...unlimited, LOG_LEVEL: 'silent', ...env },
      migrate: true,
      logLevel: process.env.BENCH_LOG_LEVEL ?? 'silent',
    });
    return {
      urls: stack.urls,
      async stop() {
        await stack.stop();
        await rm(dataDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * Auth, comments (`commentsNodes` of them) and the gateway, each in a process of its own as in
 * production, on a migrated PostgreSQL database (several processes can't share an in-memory PGlite:
 * without DATABASE_URL this falls back to `startBenchStack`, everything in this process, and says so).
 */
export interface BenchServices {
  urls: { gateway: string; auth: string; comments: string[] };
  /** Process ids by service (for CPU accounting, see `cpuSeconds`); empty in one process. */
  pids: Partial<Record<'auth' | 'gateway', number>> & { comments?: number[] };
  /** 'processes' or 'one process' (the PGlite fallback). */
  topology: string;
  stop(): Promise<void>;
}

export async function startServiceProcesses(
  source: DatabaseSource,
  env: Record<string, string> = {},
  options: { commentsNodes?: number; commentsOnly?: { jwksUrl: string }; gatewayOnly?: { upstream: string } } = {},
): Promise<BenchServices> {
  if (source.kind !== 'postgres') {
    const stack = await startBenchStack(source, env);
    return { urls: { gateway: stack.urls.gateway, auth: stack.urls.auth, comments: [stack.urls.comments] }, pids: {}, topology: 'one process', stop: stack.stop };
  }
  await migrateAll(source);
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
  };
  const startOne = async (service: string, serviceEnv: Record<string, string>, extra: Record<string, string> = {}) => {
    // BENCH_CPU_PROF_DIR=dir: each service writes a CPU profile there when it stops (what limits a figure).
    const profile = process.env.BENCH_CPU_PROF_DIR;
    const child = forkTs(join(__dirname, 'service-process.ts'), profile ? { execArgv: ['--cpu-prof', `--cpu-prof-dir=${join(profile, service)}`] } : {});
    children.push(child);
    const listening = nextMessage<{ url: string }>(child, 'listening');
    child.send({ type: 'start', service, databaseUrl: source.url, env: { ...unlimited, LOG_LEVEL: 'silent', ...env, ...serviceEnv }, ...extra });
    return (await listening).url;
  };
  try {
    if (options.commentsOnly) {
      // A lone comments node beside another stack (its auth's keys): no gateway, no auth of its own.
      const comments = await startOne('comments', { JWKS_URL: options.commentsOnly.jwksUrl, METRICS_PORT: '0' });
      return { urls: { gateway: '', auth: '', comments: [comments] }, pids: { comments: [children[0]!.pid!] }, topology: 'processes', stop };
    }
    if (options.gatewayOnly) {
      // A gateway in front of something else (a node:http hello world: the hop's own cost).
      const { upstream } = options.gatewayOnly;
      const gateway = await startOne('gateway', { AUTH_URL: upstream, COMMENTS_URLS: upstream });
      return { urls: { gateway, auth: '', comments: [] }, pids: { gateway: children[0]!.pid! }, topology: 'processes', stop };
    }
    const auth = await startOne('auth', {}, { signingKeyPem: generateSigningKeyPem() });
    const comments: string[] = [];
    for (let i = 0; i < (options.commentsNodes ?? 1); i++) {
      comments.push(await startOne('comments', { JWKS_URL: `${auth}/auth/.well-known/jwks.json`, METRICS_PORT: '0' }));
    }
    const gateway = await startOne('gateway', { AUTH_URL: auth, COMMENTS_URLS: comments.join(',') });
    const pid = (i: number) => children[i]!.pid!;
    const pids = { auth: pid(0), comments: comments.map((_, i) => pid(1 + i)), gateway: pid(1 + comments.length) };
    return { urls: { gateway, auth, comments }, pids, topology: 'processes', stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); NaN where there is none. */
export function cpuSeconds(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime are fields 14 and 15 of stat, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}

/** Each service process's CPU seconds so far (see `cpuSpent`). */
export function processCpu(services: Pick<BenchServices, 'pids'>): Record<string, number> {
  const { pids } = services;
  const all: Record<string, number> = {};
  if (pids.gateway) all.gateway = cpuSeconds(pids.gateway);
  if (pids.auth) all.auth = cpuSeconds(pids.auth);
  for (const [i, pid] of (pids.comments ?? []).entries()) all[`comments${i ? i + 1 : ''}`] = cpuSeconds(pid);
  return all;
}

/** CPU seconds each process used between two `processCpu` readings (plus the load generator's own, if given). */
export function cpuSpent(before: Record<string, number>, after: Record<string, number>, load?: number): Record<string, number> {
  const spent: Record<string, number> = {};
  for (const [name, seconds] of Object.entries(after)) spent[name] = Math.round((seconds - (before[name] ?? 0)) * 100) / 100;
  if (load !== undefined) spent['load generator'] = load;
  return spent;
}

/** Forks a TypeScript module (run through tsx) as a child process with an IPC channel. */
export function forkTs(script: string, options: { execArgv?: string[]; env?: NodeJS.ProcessEnv } = {}): ChildProcess {
  return fork(script, [], {
    execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** The next IPC message from `child` whose `type` is `type`; rejects if the child exits first. */
export function nextMessage<T>(child: ChildProcess, type: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no "${type}" message within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type === type) finish(undefined, message as T);
    };
    const onExit = (code: number | null) => finish(new Error(`child exited (${code}) before sending "${type}"`));
    function finish(error?: Error, value?: T) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else resolve(value!);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
  });
}

/** Waits for a child to exit, killing it (by its pid, SIGKILL) after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    // A child already on its way out may close the channel under the message (EPIPE): it is going anyway.
    child.on('error', () => {});
    if (child.connected) child.send({ type: 'stop' }, () => {});
    else child.kill('SIGTERM');
  });
}

/** Runs one autocannon job in a child process (so the load generator never shares the servers' CPU time slice). */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const child = forkTs(join(__dirname, 'load.ts'));
  try {
    const done = nextMessage<{ type: 'result'; result: LoadResult }>(child, 'result', (job.duration ?? 60) * 1000 + 120_000);
    child.send({ type: 'job', job });
    return (await done).result;
  } finally {
    await stopChild(child);
  }
}

/**
 * One load-generator child for several jobs in turn (the fork and its start-up are paid once): the
 * same process `runLoad` forks, kept until `stop`.
 */
export function startLoadGenerator(): { run(job: LoadJob): Promise<LoadResult>; stop(): Promise<void> } {
  const child = forkTs(join(__dirname, 'load.ts'));
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run(job) {
      const result = queue.then(async () => {
        const done = nextMessage<{ type: 'result'; result: LoadResult }>(child, 'result', (job.duration ?? 60) * 1000 + 120_000);
        child.send({ type: 'job', job });
        return (await done).result;
      });
      queue = result.catch(() => {});
      return result;
    },
    stop: () => stopChild(child),
  };
}

export async function newSite(source: DatabaseSource, id: string, origins: string[] = []): Promise<string> {
  const db = connect<CommentsDatabase>(source);
  try {
    return (await createSite(db.withSchema(commentsSchema), { id, name: id, origins })).id;
  } finally {
    await db.destroy();
  }
}

export interface SeededThread {
  articleId: string;
  topLevel: number;
  total: number;
}

/**
 * Writes an article with `topLevel` comments, each with `repliesPer` direct replies, straight into
 * the comments schema in a few set-based statements. Everything the service keeps consistent is
 * kept: reply counts, the article's comment_count and last_seq, and one `comment:created` article
 * event per comment (seq 1…n in creation order), as if every comment had been POSTed. Comments are
 * one second apart (replies right after their parent), ending a day ago; then ANALYZE.
 */
export async function seedThread(
  source: DatabaseSource,
  target: { site: string; article: string; topLevel: number; repliesPer?: number; title?: string },
): Promise<SeededThread> {
  const repliesPer = target.repliesPer ?? 0;
  const total = target.topLevel * (1 + repliesPer);
  const connection = connect<CommentsDatabase>(source);
  const db: Kysely<CommentsDatabase> = connection.withSchema(commentsSchema);
  try {
    return await db.transaction().execute(async (trx) => {
      const article = await trx
        .insertInto('articles')
        .values({ site_id: target.site, key: target.article, title: target.title ?? target.article, comment_count: total, last_seq: total })
        .returning('id')
        .executeTakeFirstOrThrow();
      const step = repliesPer + 1;
      const start = sql`now() - interval '1 day' - make_interval(secs => ${total})`;
      const body = sql`'Comment ' || g || ': the council should publish the full costing before the vote, and the ferry timetable too. ' || repeat('More detail here. ', 6)`;
      await sql`
        insert into comments.comments
          (article_id, parent_id, root_id, depth, author_id, author_name, body, html, status, reply_count, created_at, published_at)
        select ${article.id}::uuid, null, null, 0, 'bench-user-' || (g % 97), 'Reader ' || (g % 97), b, '<p>' || b || '</p>',
               'published', ${repliesPer}::int, t, t
        from generate_series(1, ${target.topLevel}::int) g,
             lateral (select ${body} as b, ${start} + make_interval(secs => g * ${step}) as t) v`.execute(trx);
      if (repliesPer > 0) {
        await sql`
          insert into comments.comments
            (article_id, parent_id, root_id, depth, author_id, author_name, body, html, status, created_at, published_at)
          select p.article_id, p.id, p.id, 1, 'bench-user-' || ((g + r) % 97), 'Reader ' || ((g + r) % 97), b, '<p>' || b || '</p>',
                 'published', t, t
          from (select id, article_id, created_at, row_number() over (order by created_at) as g
                from comments.comments where article_id = ${article.id}::uuid and parent_id is null) p,
               generate_series(1, ${repliesPer}::int) r,
               lateral (select 'Reply ' || r || ' to comment ' || g || ': fair point, though the figures changed last week.' as b,
                               p.created_at + make_interval(secs => r) as t) v`.execute(trx);
      }
      const iso = (col: string) => sql`to_char(${sql.ref(col)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
      await sql`
        insert into comments.article_events (article_id, seq, type, payload, created_at)
        select article_id, row_number() over (order by created_at, id), 'comment:created',
               jsonb_build_object('site', ${target.site}::text, 'article', ${target.article}::text, 'comment', jsonb_build_object(
                 'id', id, 'parentId', parent_id, 'rootId', root_id, 'depth', depth,
                 'author', jsonb_build_object('id', author_id, 'name', author_name), 'body', body, 'html', html,
                 'status', status, 'replyCount', 0, 'reactionCount', 0, 'createdAt', ${iso('created_at')}, 'editedAt', null)),
               created_at
        from comments.comments where article_id = ${article.id}::uuid`.execute(trx);
      const check = await sql<{ n: number; seq: number }>`
        select (select count(*) from comments.comments where article_id = ${article.id}::uuid)::int as n,
               (select max(seq) from comments.article_events where article_id = ${article.id}::uuid)::int as seq`.execute(trx);
      const row = check.rows[0]!;
      if (row.n !== total || row.seq !== total) throw new Error(`seeding wrote ${row.n} comments and ${row.seq} events, expected ${total}`);
      return { articleId: article.id, topLevel: target.topLevel, total };
    });
  } finally {
    await sql`analyze comments.comments`.execute(connection).catch(() => {});
    await sql`analyze comments.article_events`.execute(connection).catch(() => {});
    await connection.destroy();
  }
}

/** The PostgreSQL server's version (or PGlite's), for the result file. */
export async function databaseVersion(source: DatabaseSource): Promise<string> {
  const db = connect<unknown>(source);
  try {
    const { rows } = await sql<{ v: string }>`select current_setting('server_version') as v`.execute(db);
    return rows[0]?.v ?? 'unknown';
  } finally {
    await db.destroy();
  }
}

/** Versions of what a figure depends on: Node, the database, the load tools. */
export async function versions(source?: DatabaseSource): Promise<Record<string, string>> {
  const pkg = (name: string) => {
    try {
      return (JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as { version: string }).version;
    } catch {
      return 'unknown';
    }
  };
  return {
    node: process.version,
    ...(source ? { postgres: await databaseVersion(source) } : {}),
    autocannon: pkg('autocannon'),
    'socket.io': pkg('socket.io'),
    'socket.io-client': pkg('socket.io-client'),
  };
}

export const round1 = (n: number) => Math.round(n * 10) / 10;
