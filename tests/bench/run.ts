import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { resultsDir, writeSummary } from './summary';

/**
 * `pnpm bench [--quick]`: every benchmark in turn, each in a process of its own. Each prints a
 * markdown table and writes JSON under tests/bench/results/; at the end one summary table puts
 * the run's figures beside their targets (results/latest.md). Benchmarks measure and report; they
 * never fail a build on a number — the exit code is non-zero only when a benchmark crashed.
 */
const quick = process.argv.includes('--quick');
const q = quick ? ['--quick'] : [];
const script = (name: string) => join(__dirname, name, 'run.ts');
const benchmarks = [
  { name: 'read path', script: script('read'), args: q },
  { name: 'paging', script: script('paging'), args: q },
  { name: 'write path', script: script('write'), args: q },
  { name: quick ? 'hot story, 200 readers' : 'hot story, 1,000 readers', script: script('hot-story'), args: q },
  { name: quick ? 'live fan-out, 200 sockets' : 'live fan-out, 1,000 sockets', script: script('fanout'), args: quick ? q : ['--sockets', '1000'] },
  ...(quick ? [] : [{ name: 'live fan-out, 5,000 sockets', script: script('fanout'), args: ['--sockets', '5000'] }]),
  { name: 'memory per idle reader', script: script('memory'), args: q },
  { name: 'widget', script: script('widget'), args: q },
  { name: quick ? 'import, 4 MB Disqus file' : 'import, 200 MB Disqus file', script: script('import'), args: q },
];
// Keeps a benchmark that hangs from holding the whole run.
const timeoutMs = (quick ? 3 : 6) * 60_000;

mkdirSync(resultsDir, { recursive: true });
const listResults = () => new Set(readdirSync(resultsDir).filter((f) => f.endsWith('.json')));
const started = performance.now();
const produced: string[] = [];
const failed: string[] = [];
for (const bench of benchmarks) {
  console.log(`\n### ${bench.name}`);
  const before = listResults();
  const benchStarted = performance.now();
  const run = spawnSync(process.execPath, ['--import', 'tsx', bench.script, ...bench.args], { stdio: 'inherit', timeout: timeoutMs, killSignal: 'SIGKILL' });
  for (const file of listResults()) if (!before.has(file)) produced.push(join(resultsDir, file));
  console.log(`(${bench.name}: ${Math.round((performance.now() - benchStarted) / 1000)} s)`);
  if (run.status !== 0) {
    console.error(`${bench.name} did not finish (${run.error ? run.error.message : `exit ${run.status ?? run.signal}`})`);
    failed.push(bench.name);
  }
}
writeSummary(produced, { quick, seconds: (performance.now() - started) / 1000 });
if (failed.length) console.error(`\nDid not finish: ${failed.join(', ')}`);
process.exit(failed.length ? 1 : 0);
