import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseEnv } from '@parley/db';
import { generateSigningKeyPem } from '@parley/tokens';
import { checkDatabase, checkDataFolder, checkNodeVersion, checkPort, checkRedis, checkSigningKey } from './doctor-checks';
import { serviceSchemas } from '../stack';

/** Each doctor check on the broken setup it exists for, and the one sentence it answers with. */
let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'parley-doctor-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function listener(handler?: (socket: net.Socket) => void): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer(handler ?? (() => {}));
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket) => (sockets.add(socket), socket.once('close', () => sockets.delete(socket))));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise((done) => (sockets.forEach((socket) => socket.destroy()), server.close(() => done()))),
  };
}

/** A port nothing listens on (it was free a moment ago). */
async function closedPort(): Promise<number> {
  const { port, close } = await listener();
  await close();
  return port;
}

describe('Node.js version', () => {
  it('passes inside the engines range and says what to install outside it', () => {
    expect(checkNodeVersion('20.19.0', '>=20.19').status).toBe('ok');
    expect(checkNodeVersion('22.1.0', '>=20.19').status).toBe('ok');
    expect(checkNodeVersion('18.20.4', '>=20.19')).toEqual({
      status: 'fail',
      message: 'Node.js 18.20.4 is too old or too new for Parley, which wants >=20.19: install a matching Node.js (for example with nvm or fnm) and run pnpm install again.',
    });
    expect(checkNodeVersion('20.19.0', '^20 || nonsense').status).toBe('warn');
  });
});

describe('ports', () => {
  it('names the process holding a port and the variable that moves Parley off it', async () => {
    const held = await listener();
    try {
      const result = await checkPort({ port: held.port, host: '127.0.0.1', name: 'gateway', variable: 'PORT' });
      expect(result.status).toBe('fail');
      expect(result.message).toMatch(new RegExp(`^Port ${held.port} \\(gateway\\) is in use by process ${process.pid} \\(node[^)]*\\): stop it, or set PORT to a free port\\.$`));
    } finally {
      await held.close();
    }
    expect(await checkPort({ port: held.port, host: '127.0.0.1', name: 'gateway', variable: 'PORT' })).toEqual({ status: 'ok', message: `Port ${held.port} (gateway) is free` });
  });
});

describe('data folder', () => {
  let holder: ChildProcess | undefined;
  afterEach(async () => {
    if (holder && holder.exitCode === null) {
      const gone = new Promise((done) => holder!.once('exit', done));
      holder.kill();
      await gone;
    }
    holder = undefined;
  });

  it('is fine when new, and only created later', async () => {
    expect((await checkDataFolder({ given: join(dir, 'data'), embedded: true })).status).toBe('ok');
    expect(existsSync(join(dir, 'data'))).toBe(false);
  });

  it('names the running process that holds its lock', async () => {
    holder = spawn('sleep', ['60']);
    await new Promise((done) => holder!.once('spawn', done));
    writeFileSync(join(dir, 'parley.lock'), String(holder.pid));
    expect(await checkDataFolder({ given: dir, embedded: true })).toEqual({
      status: 'fail',
      message: `The data folder ${dir} (PARLEY_DATA_DIR) is in use by process ${holder.pid} (sleep 60): stop that Parley first, or set PARLEY_DATA_DIR to another folder.`,
    });
  });

  it('takes over a lock whose process is gone, as the launcher would', async () => {
    writeFileSync(join(dir, 'parley.lock'), '999999999');
    expect((await checkDataFolder({ given: dir, embedded: true })).status).toBe('ok');
  });

  it('says a damaged embedded database may need moving away, and leaves the folder unlocked', async () => {
    mkdirSync(join(dir, 'pg'));
    writeFileSync(join(dir, 'pg', 'PG_VERSION'), 'not a version\n');
    const result = await checkDataFolder({ given: dir, embedded: true });
    expect(result.status).toBe('fail');
    expect(result.message).toMatch(new RegExp(`^The embedded database in ${join(dir, 'pg')} does not open \\(.+\\), so it may be damaged .*: move the folder away, or set PARLEY_DATA_DIR to another one, to start afresh\\.$`));
    expect(existsSync(join(dir, 'parley.lock'))).toBe(false);
  });

  it('says when it is a file, or cannot be created or written', async () => {
    writeFileSync(join(dir, 'file'), '');
    expect(await checkDataFolder({ given: join(dir, 'file'), embedded: true })).toEqual({
      status: 'fail',
      message: `The data folder ${join(dir, 'file')} (PARLEY_DATA_DIR) is a file, not a folder: fix its permissions, or set PARLEY_DATA_DIR to a folder this user can write.`,
    });
    expect((await checkDataFolder({ given: join(dir, 'file', 'data'), embedded: false })).message).toBe(
      `The data folder ${join(dir, 'file', 'data')} (PARLEY_DATA_DIR) cannot be created, because ${join(dir, 'file')} is a file: fix its permissions, or set PARLEY_DATA_DIR to a folder this user can write.`,
    );
  });

  it('says when the folder is not writable', async () => {
    // Root writes through permission bits, so as root a folder the kernel refuses stands in (sysfs).
    const asRoot = process.getuid?.() === 0;
    const target = asRoot ? '/sys/kernel' : dir;
    if (!asRoot) chmodSync(dir, 0o500);
    try {
      expect((await checkDataFolder({ given: target, embedded: true })).message).toMatch(/is not writable \(EACCES\): fix its permissions/);
    } finally {
      if (!asRoot) chmodSync(dir, 0o700);
    }
  });
});

describe('DATABASE_URL', () => {
  it('says PostgreSQL is not reachable, without showing the password', async () => {
    const port = await closedPort();
    const result = await checkDatabase(`postgres://parley:s3cret@127.0.0.1:${port}/parley`, serviceSchemas);
    expect(result).toEqual({
      status: 'fail',
      message: `Cannot reach PostgreSQL at 127.0.0.1:${port}/parley (connection refused): start PostgreSQL, or fix the host and port in DATABASE_URL.`,
    });
    expect((await checkDatabase('not a url', serviceSchemas)).message).toBe('DATABASE_URL is not a URL: write it as postgres://user:password@host:5432/database.');
  });

  const server = process.env[testDatabaseEnv]?.startsWith('postgres') ? process.env[testDatabaseEnv] : undefined;
  (server ? it : it.skip)('passes on the migrated test database and names a database that does not exist', async () => {
    expect((await checkDatabase(server!, serviceSchemas)).status).toBe('ok');
    const missing = new URL(server!);
    missing.pathname = '/parley_doctor_no_such_database';
    expect((await checkDatabase(missing.toString(), serviceSchemas)).message).toMatch(
      /has no database parley_doctor_no_such_database: create it \(createdb parley_doctor_no_such_database\), or fix DATABASE_URL\.$/,
    );
  });
});

describe('REDIS_URL', () => {
  it('says Redis is not reachable', async () => {
    const port = await closedPort();
    expect(await checkRedis(`redis://127.0.0.1:${port}`)).toEqual({
      status: 'fail',
      message: `Cannot reach Redis at 127.0.0.1:${port} (connection refused): start Redis, fix REDIS_URL, or unset it when only one comments node runs.`,
    });
  });

  it('passes when PING answers PONG, and asks for the password when Redis wants one', async () => {
    // Answers each command of a pipelined request: AUTH with OK, anything else with PONG.
    const redis = await listener((socket) =>
      socket.on('data', (data) => {
        const commands = data.toString().split(/\*\d+\r\n/).filter(Boolean);
        socket.write(commands.map((command) => (command.includes('AUTH') ? '+OK\r\n' : '+PONG\r\n')).join(''));
      }),
    );
    const locked = await listener((socket) => socket.on('data', () => socket.write('-NOAUTH Authentication required.\r\n')));
    try {
      expect(await checkRedis(`redis://:pw@127.0.0.1:${redis.port}`)).toEqual({ status: 'ok', message: `Redis at 127.0.0.1:${redis.port} answers` });
      expect((await checkRedis(`redis://127.0.0.1:${locked.port}`)).message).toBe(
        `Redis at 127.0.0.1:${locked.port} refused us (NOAUTH Authentication required.): put the right password in REDIS_URL (redis://:password@host:6379).`,
      );
    } finally {
      await redis.close();
      await locked.close();
    }
  });
});

describe('signing key', () => {
  it('wants a key of its own in production', async () => {
    expect(await checkSigningKey({ production: true, dataDir: dir })).toEqual({
      status: 'fail',
      message: 'NODE_ENV=production needs a signing key: set AUTH_SIGNING_KEY_FILE to a key file (pnpm keygen > secrets/auth-signing-key.pem) or AUTH_SIGNING_KEY to the PEM.',
    });
    const devKey = join(dir, 'auth-signing-key.pem');
    writeFileSync(devKey, generateSigningKeyPem());
    expect((await checkSigningKey({ production: true, dataDir: dir })).message).toBe(
      `NODE_ENV=production would sign tokens with the development key in ${devKey}: set AUTH_SIGNING_KEY_FILE to a key of its own (pnpm keygen > secrets/auth-signing-key.pem).`,
    );
    expect((await checkSigningKey({ production: true, file: devKey, dataDir: dir })).status).toBe('fail');
  });

  it('passes a configured P-256 key and explains a broken one', async () => {
    expect((await checkSigningKey({ production: true, pem: generateSigningKeyPem(), dataDir: dir })).status).toBe('ok');
    expect((await checkSigningKey({ production: false, dataDir: dir })).status).toBe('ok');
    expect((await checkSigningKey({ production: true, pem: 'nonsense', dataDir: dir })).message).toMatch(/^AUTH_SIGNING_KEY is not a PEM private key\. Generate one with: openssl/);
    expect((await checkSigningKey({ production: true, file: join(dir, 'missing.pem'), dataDir: dir })).message).toBe(
      `Cannot read AUTH_SIGNING_KEY_FILE ${join(dir, 'missing.pem')} (ENOENT): point it at a readable key file.`,
    );
  });
});
