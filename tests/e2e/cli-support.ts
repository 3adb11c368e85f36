import { execFile } from 'node:child_process';
import { join, resolve } from 'node:path';

export const root = resolve(__dirname, '../..');
export const tsx = join(root, 'node_modules/.bin/tsx');

/** Runs `pnpm parley …` as a process (tsx scripts/parley.ts), `input` on its standard input. */
export function parley(args: string[], input: string, env: Record<string, string>): Promise<{ code: number; out: string; err: string }> {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'PARLEY_DATA_DIR', 'NODE_ENV']) delete base[name];
  return new Promise((done, fail) => {
    const child = execFile(tsx, ['scripts/parley.ts', ...args], { cwd: root, env: { ...base, ...env }, timeout: 30_000 }, (error, out, err) => {
      if (error && typeof error.code !== 'number') fail(error);
      else done({ code: error ? (error.code as number) : 0, out, err });
    });
    child.stdin?.end(input);
  });
}
