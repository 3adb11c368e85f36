import http from 'node:http';
import autocannon from 'autocannon';
import { percentile, summarize } from './lib';

/**
 * The load generator: one autocannon run per process, started by `runLoad` (common.ts) with a job
 * over IPC and answering with the figures. A process of its own keeps the client's work off the
 * servers' event loops (on 2 cores they still share the machine, which the README says).
 */
export interface LoadJob {
  url: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Stop after this many responses instead of after `duration`. */
  amount?: number;
  /** Requests per second across all connections (fixed-rate mode); unset = as fast as possible. */
  overallRate?: number;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Request n uses `rotate[n % rotate.length]`: distinct users' tokens, or distinct login bodies. */
  rotate?: { headers?: Record<string, string>; body?: string }[];
  /** Warm-up seconds before the measured run (same settings, discarded). */
  warmUp?: number;
  /**
   * One request at a time over one keep-alive connection, each timed with performance.now()
   * (sub-millisecond, where autocannon's histogram has whole milliseconds): for `amount` requests.
   */
  sequential?: boolean;
}

export interface LoadResult {
  requests: number;
  reqPerSec: number;
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  statusCodes: Record<string, number>;
  /** CPU seconds the load generator itself used for the measured run (it shares the machine). */
  loadCpuSeconds?: number;
}

function options(job: LoadJob, warmUp: boolean): autocannon.Options {
  let n = 0;
  const rotate = job.rotate;
  return {
    url: job.url,
    connections: job.connections,
    ...(warmUp ? { duration: job.warmUp } : job.amount !== undefined ? { amount: job.amount } : { duration: job.duration ?? 10 }),
    ...(job.overallRate ? { overallRate: job.overallRate } : {}),
    method: job.method ?? 'GET',
    headers: job.headers ?? {},
    ...(job.body !== undefined ? { body: job.body } : {}),
    ...(rotate?.length
      ? {
          requests: [
            {
              setupRequest: (request: autocannon.Request) => {
                const pick = rotate[n++ % rotate.length]!;
                return {
                  ...request,
                  headers: { ...request.headers, ...pick.headers },
                  ...(pick.body !== undefined ? { body: pick.body } : {}),
                };
              },
            },
          ],
        }
      : {}),
    timeout: 20,
  };
}

/** `sequential` mode: a plain loop, precise per-request timings. */
async function runSequential(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = (n: number) =>
    new Promise<number>((resolve, reject) => {
      const pick = job.rotate?.length ? job.rotate[n % job.rotate.length]! : {};
      const body = pick.body ?? job.body;
      const req = http.request(job.url, { method: job.method ?? 'GET', agent, headers: { ...job.headers, ...pick.headers } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      });
      req.on('error', reject);
      req.end(body);
    });
  const samples: number[] = [];
  const statusCodes: Record<string, number> = {};
  const warmUntil = performance.now() + (job.warmUp ?? 0) * 1000;
  for (let n = 0; performance.now() < warmUntil; n++) await once(n);
  const began = performance.now();
  for (let n = 0; n < (job.amount ?? 100); n++) {
    const started = performance.now();
    const status = await once(n);
    samples.push(performance.now() - started);
    statusCodes[status] = (statusCodes[status] ?? 0) + 1;
  }
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  const s = summarize(samples);
  const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
  const sorted = [...samples].sort((a, b) => a - b);
  const non2xx = Object.entries(statusCodes).reduce((n, [code, count]) => n + (code.startsWith('2') ? 0 : count), 0);
  return {
    requests: samples.length,
    reqPerSec: Math.round(samples.length / seconds),
    latency: {
      p50: s.p50,
      p90: Math.round(percentile(sorted, 90) * 100) / 100,
      p99: s.p99, max: s.max, mean: Math.round(mean * 100) / 100 },
    non2xx,
    errors: 0,
    timeouts: 0,
    durationSeconds: Math.round(seconds * 100) / 100,
    statusCodes,
  };
}

async function run(job: LoadJob): Promise<LoadResult> {
  if (job.sequential) return runSequential(job);
  if (job.warmUp) await autocannon(options(job, true));
  const cpuBefore = process.cpuUsage();
  const result = await autocannon(options(job, false));
  const cpu = process.cpuUsage(cpuBefore);
  const statusCodes: Record<string, number> = {};
  for (const [code, count] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = (count as { count: number }).count;
  const ms = (n: number) => Math.round(n * 100) / 100;
  return {
    requests: result.requests.total,
    reqPerSec: Math.round(result.requests.total / result.duration),
    latency: {
      p50: ms(result.latency.p50),
      p90: ms(result.latency.p90),
      p99: ms(result.latency.p99),
      max: ms(result.latency.max),
      mean: ms(result.latency.average),
    },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSeconds: result.duration,
    statusCodes,
    loadCpuSeconds: Math.round((cpu.user + cpu.system) / 1e4) / 100,
  };
}

process.on('disconnect', () => process.exit(0));
process.on('message', (message: { type: string; job?: LoadJob }) => {
  if (message.type === 'stop') process.exit(0);
  if (message.type !== 'job' || !message.job) return;
  run(message.job).then(
    (result) => process.send!({ type: 'result', result }),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
