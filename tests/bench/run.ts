import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * `pnpm bench [--quick]`: every benchmark in turn. Each prints a markdown table and writes JSON
 * under tests/bench/results/. Benchmarks measure and report; they never fail a build on a number.
 */
const quick = process.argv.includes('--quick');
const benchmarks = [{ name: 'live fan-out', script: join(__dirname, 'fanout', 'run.ts'), args: quick ? ['--quick'] : [] }];

let failed = false;
for (const bench of benchmarks) {
  console.log(`\n### ${bench.name}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', bench.script, ...bench.args], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`${bench.name} did not finish (exit ${run.status})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
