import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli, type Output } from '../../scripts/cli/commands';

/**
 * `pnpm parley doctor` as a process: its exit code and what it prints, on a machine where another
 * program holds the gateway's port and a running process holds the data folder — and on a clean one.
 */
const root = resolve(__dirname, '../..');

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

function doctor(env: Record<string, string>): Promise<{ code: number; stdout: string }> {
  const base = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'NODE_ENV', 'AUTH_SIGNING_KEY', 'AUTH_SIGNING_KEY_FILE', 'HOST']) delete base[name];
  return new Promise((done, fail) =>
    execFile(join(root, 'node_modules/.bin/tsx'), ['scripts/parley.ts', 'doctor'], { cwd: root, env: { ...base, ...env }, timeout: 30_000 }, (error, stdout) => {
      if (error && typeof error.code !== 'number') fail(error);
      else done({ code: error ? (error.code as number) : 0, stdout });
    }),
  );
}

let dataDir: string;
beforeEach(() => (dataDir = mkdtempSync(join(tmpdir(), 'parley-doctor-cli-'))));
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

it('fails with exit code 1, one ✗ line per problem, on a taken port and a locked data folder', async () => {
  const holder = net.createServer();
  await new Promise<void>((done) => holder.listen(0, '127.0.0.1', done));
  const taken = (holder.address() as net.AddressInfo).port;
  // This test's own process stands for a Parley that is running.
  writeFileSync(join(dataDir, 'parley.lock'), String(process.pid));
  try {
    const ports = { PORT: String(taken), DEMO_PORT: String(await freePort()), AUTH_PORT: String(await freePort()), COMMENTS_PORT: String(await freePort()) };
    const { code, stdout } = await doctor({ ...ports, PARLEY_DATA_DIR: dataDir });

    expect(code).toBe(1);
    const failures = stdout.split('\n').filter((line) => line.includes('✗'));
    expect(failures).toEqual([
      expect.stringMatching(new RegExp(`^  ✗ Port ${taken} \\(gateway\\) is in use by process ${process.pid} \\(node.*\\): stop it, or set PORT to a free port\\.$`)),
      expect.stringMatching(new RegExp(`^  ✗ The data folder ${dataDir} \\(PARLEY_DATA_DIR\\) is in use by process ${process.pid} .*: stop that Parley first, or set PARLEY_DATA_DIR to another folder\\.$`)),
    ]);
    expect(stdout).toContain(`✓ Port ${ports.DEMO_PORT} (demo site) is free`);
    expect(stdout).toMatch(/✓ Node\.js \d+\.\d+\.\d+/);
    expect(stdout).toContain('2 problems: fix them and run pnpm parley doctor again.');
  } finally {
    await new Promise((done) => holder.close(done));
  }
}, 40_000);

it('exits 0 when nothing is in the way', async () => {
  const ports = { PORT: String(await freePort()), DEMO_PORT: String(await freePort()), AUTH_PORT: String(await freePort()), COMMENTS_PORT: String(await freePort()) };
  const { code, stdout } = await doctor({ ...ports, PARLEY_DATA_DIR: dataDir });
  expect(stdout).not.toContain('✗');
  expect(stdout).toContain('Nothing in the way.');
  expect(code).toBe(0);
}, 40_000);

describe('the command table', () => {
  function capture(): Output & { text: () => { out: string; err: string } } {
    let out = '';
    let err = '';
    return { out: (text) => void (out += text), err: (text) => void (err += text), terminal: false, text: () => ({ out, err }) };
  }

  it('lists the commands in --help', async () => {
    const output = capture();
    expect(await runCli(['--help'], output)).toBe(0);
    expect(output.text().out).toMatch(/^Usage: pnpm parley <command>/);
    expect(output.text().out).toMatch(/\n {2}doctor {3}check this machine/);
  });

  it('answers an unknown command with one line and exit code 2', async () => {
    const output = capture();
    expect(await runCli(['frobnicate'], output)).toBe(2);
    expect(output.text()).toEqual({ out: '', err: 'parley: unknown command "frobnicate"; pnpm parley --help lists the commands.\n' });
  });
});
