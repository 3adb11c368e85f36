import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from './data-dir-lock';

describe('the embedded data folder lock', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'parley-lock-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is taken, named after this process, and released', () => {
    const unlock = lockDataDir(dir);
    expect(readFileSync(join(dir, 'parley.lock'), 'utf8')).toBe(String(process.pid));
    unlock();
    expect(existsSync(join(dir, 'parley.lock'))).toBe(false);
  });

  it('refuses a folder that a running process holds, saying which', () => {
    writeFileSync(join(dir, 'parley.lock'), String(process.ppid));
    expect(() => lockDataDir(dir)).toThrow(`in use by process ${process.ppid}`);
  });

  it('takes over a lock left by a process that is gone', () => {
    writeFileSync(join(dir, 'parley.lock'), '999999999');
    const unlock = lockDataDir(dir);
    expect(readFileSync(join(dir, 'parley.lock'), 'utf8')).toBe(String(process.pid));
    unlock();
  });
});
