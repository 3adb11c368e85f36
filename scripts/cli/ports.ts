import { execFile } from 'node:child_process';
import { readFile, readdir, readlink } from 'node:fs/promises';
import net from 'node:net';

/**
 * Is a port free to listen on, and if not, who holds it? Trying to listen is the only answer that
 * is always right (it also catches a listener on 0.0.0.0 when we want 127.0.0.1); naming the holder
 * is best effort: /proc on Linux, then `ss -ltnp`, else we only know "another process".
 */
export type PortState = { free: true } | { free: false; reason: 'in_use' | 'no_permission' | 'other'; detail: string };

export function probePort(port: number, host: string): Promise<PortState> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve({ free: false, reason: 'in_use', detail: error.code });
      else if (error.code === 'EACCES') resolve({ free: false, reason: 'no_permission', detail: error.code });
      else resolve({ free: false, reason: 'other', detail: error.code ?? error.message });
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve({ free: true })));
  });
}

export interface PortHolder {
  pid: number;
  /** The command line, shortened (`node …/tsx scripts/start-embedded.ts`). */
  command: string;
}

/** The process listening on a TCP port, when this machine lets us see it. */
export async function findPortHolder(port: number): Promise<PortHolder | undefined> {
  return (await fromProc(port).catch(() => undefined)) ?? (await fromSs(port).catch(() => undefined));
}

async function fromProc(port: number): Promise<PortHolder | undefined> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await readFile(table, 'utf8').catch(() => '');
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      // State 0A is LISTEN; the local address ends in the port, in hex.
      if (state === '0A' && local && inode && parseInt(local.split(':')[1] ?? '', 16) === port) inodes.add(`socket:[${inode}]`);
    }
  }
  if (inodes.size === 0) return undefined;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fds = await readdir(`/proc/${entry}/fd`).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(`/proc/${entry}/fd/${fd}`).catch(() => '');
      if (inodes.has(target)) return { pid: Number(entry), command: await describeProcess(Number(entry)) };
    }
  }
  return undefined;
}

async function fromSs(port: number): Promise<PortHolder | undefined> {
  const output = await new Promise<string>((resolve, reject) =>
    execFile('ss', ['-Hltnp', `sport = :${port}`], { timeout: 2000 }, (error, stdout) => (error ? reject(error) : resolve(stdout))),
  );
  const match = /users:\(\("([^"]*)",pid=(\d+)/.exec(output);
  if (!match) return undefined;
  const pid = Number(match[2]);
  return { pid, command: (await describeProcess(pid).catch(() => '')) || match[1]! };
}

/** A process's command line, shortened (`node scripts/start-embedded.ts`); empty when it can't be read. */
export async function describeProcess(pid: number): Promise<string> {
  const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
  const [program = '', ...args] = raw.split('\0').filter(Boolean);
  // Paths into node_modules (tsx's loader hooks and the like) say little; the script after them says what runs.
  const shown: string[] = [program.split('/').pop() ?? program];
  for (const arg of args) {
    if (arg.includes('node_modules')) {
      if (shown.length > 1 && shown.at(-1)!.startsWith('--')) shown.pop();
      continue;
    }
    shown.push(arg);
  }
  const line = shown.join(' ');
  return line.length > 70 ? `${line.slice(0, 69)}…` : line;
}
