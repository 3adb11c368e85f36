import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, logFormatFor } from '@parley/platform';

/**
 * The first minutes of `pnpm start` as a person sees them: the launcher under a pseudo-terminal
 * (util-linux `script`), 80×24, with health checks made ten times as frequent as usual. After
 * 20 s of a reader coming back to a thread again and again, then logging in and posting, the
 * banner must still be on the last screen, the log lines readable rather than JSON, and no read,
 * probe, scrape or static file in them.
 */
const root = resolve(__dirname, '../..');
const script = ['/usr/bin/script', '/bin/script'].find((path) => existsSync(path));
const columns = 80;
const rows = 24;

// eslint-disable-next-line no-control-regex -- the escape character is what terminal colour codes start with
const stripAnsi = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '');
/** What a terminal of `columns` shows of the text, one entry per screen row (long lines wrap). */
const screenRows = (text: string) =>
  stripAnsi(text)
    .replace(/\r/g, '')
    .split('\n')
    .flatMap((line) => (line.length === 0 ? [''] : (line.match(new RegExp(`.{1,${columns}}`, 'g')) ?? [''])));

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

/** Every process below `pid`, found through /proc (the launcher runs in the pty's own session). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // The command may hold spaces and parentheses; the parent pid is the second field after the last ")".
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = [];
  const walk = (of: number) => (children.get(of) ?? []).forEach((child) => (found.push(child), walk(child)));
  walk(pid);
  return found;
}

const waitFor = async (condition: () => boolean, ms: number) => {
  const until = Date.now() + ms;
  while (!condition() && Date.now() < until) await new Promise((done) => setTimeout(done, 100));
  return condition();
};

(script ? describe : describe.skip)('pnpm start in a terminal', () => {
  let launcher: ChildProcess;
  let exited: Promise<number | null>;
  let output = '';
  let dataDir: string;

  afterAll(async () => {
    if (launcher?.exitCode === null && launcher.pid) {
      // Ctrl+C did not stop it: end the pty's processes and the script around them.
      for (const pid of [...descendants(launcher.pid), launcher.pid]) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await exited;
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the banner on screen, prints API writes readably and no reads or probes, and stops on Ctrl+C', async () => {
    const started = Date.now();
    dataDir = mkdtempSync(join(tmpdir(), 'parley-terminal-'));
    const [gateway, demo, auth, comments] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const env: Record<string, string | undefined> = {
      ...process.env,
      PORT: String(gateway),
      DEMO_PORT: String(demo),
      AUTH_PORT: String(auth),
      COMMENTS_PORT: String(comments),
      PARLEY_DATA_DIR: dataDir,
      UPSTREAM_HEALTH_INTERVAL_MS: '200',
      ALLOWED_ORIGINS_REFRESH_SECONDS: '1',
    };
    // The newcomer's setup: embedded database, default level and format.
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'LOG_FORMAT', 'NODE_ENV', 'PUBLIC_URL', 'HOST']) delete env[name];

    launcher = spawn(script!, ['-qfec', `stty cols ${columns} rows ${rows}; exec node --import tsx scripts/start-embedded.ts`, '/dev/null'], {
      cwd: root,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    exited = new Promise((done) => launcher.once('exit', (code) => done(code)));
    launcher.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    launcher.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

    expect(await waitFor(() => output.includes('Parley is running.'), 60_000)).toBe(true);
    const url = `http://127.0.0.1:${gateway}`;
    for (const path of ['/healthz', '/readyz', '/metrics', '/embed.js', '/moderate', '/docs']) await fetch(`${url}${path}`).then((r) => r.arrayBuffer());
    // A reader's visits, as the widget makes them: a log-in, then the thread, their own part of it,
    // the counts and the preflights, over and over; then a post. The log-in and the post are what
    // the log should show.
    const login = await fetch(`${url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'reader@example.com', password: 'parley-demo' }) });
    const { accessToken } = (await login.json()) as { accessToken: string };
    for (let visit = 0; visit < 10; visit += 1) {
      for (const path of ['/api/sites/demo/articles/terminal/comments', '/api/sites/demo/articles/terminal/viewer', '/api/sites/demo/counts?articles=terminal']) {
        const read = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
        await read.arrayBuffer();
        expect(read.status).toBe(200);
      }
      await fetch(`${url}/api/sites/demo/articles/terminal/comments`, { method: 'OPTIONS', headers: { origin: `http://localhost:${demo}`, 'access-control-request-method': 'POST' } }).then((r) => r.arrayBuffer());
    }
    const posted = await fetch(`${url}/api/sites/demo/articles/terminal/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${accessToken}` },
      body: JSON.stringify({ body: 'Seen from the terminal.' }),
    });
    await posted.arrayBuffer();
    expect(posted.status).toBe(201);
    // The 20 s: a hundred health checks at this interval, a dozen origin reloads.
    await new Promise((done) => setTimeout(done, Math.max(3000, 20_000 - (Date.now() - started))));

    const screen = screenRows(output).slice(-rows).join('\n');
    expect(screen).toContain('Parley is running.');
    expect(screen).toContain(`http://localhost:${gateway}/moderate`);
    expect(screen).toContain(`http://localhost:${gateway}/docs`);
    expect(screen).toContain('moderator@example.com');
    expect(screen).toContain('Ctrl+C');

    const logLines = stripAnsi(output).split(/\r?\n/).filter((line) => /^\[\d\d:\d\d:\d\d\] [A-Z]+:/.test(line));
    expect(logLines.some((line) => /INFO: gateway +POST \/api\/sites\/demo\/articles\/terminal\/comments 201/.test(line))).toBe(true);
    expect(logLines.some((line) => /INFO: gateway +POST \/auth\/login 200/.test(line))).toBe(true);
    // Reads that succeeded, preflights, probes, scrapes and static files are at debug.
    expect(logLines.filter((line) => /healthz|readyz|metrics|allowed-origins|embed\.js|\/moderate|\/docs| GET | OPTIONS /.test(line))).toEqual([]);
    expect(stripAnsi(output)).not.toMatch(/^\{"level"/m);

    launcher.stdin!.end('\x03');
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([exited, new Promise((done) => (timer = setTimeout(() => done('still running'), 15_000)))]);
    clearTimeout(timer);
    expect(stopped).toBe(0);
    expect(stripAnsi(output)).toContain('SIGINT: stopping Parley');
    expect(existsSync(join(dataDir, 'parley.lock'))).toBe(false);
  }, 90_000);
});

it('pnpm start --help lists the variables that matter and starts nothing', async () => {
  const dataDir = join(tmpdir(), `parley-help-${process.pid}`);
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((done) => {
    const child = spawn(join(root, 'node_modules/.bin/tsx'), ['scripts/start-embedded.ts', '--help'], { cwd: root, env: { ...process.env, PARLEY_DATA_DIR: dataDir } });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
    child.once('close', (exitCode) => done({ code: exitCode, stdout: text }));
  });
  expect(code).toBe(0);
  for (const name of ['PORT', 'DEMO_PORT', 'PARLEY_DATA_DIR', 'DATABASE_URL', 'REDIS_URL', 'LOG_LEVEL', 'LOG_FORMAT', 'NODE_ENV']) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  expect(stdout).not.toContain('Parley is running');
  expect(existsSync(dataDir)).toBe(false);
}, 30_000);

describe('pretty log lines', () => {
  function capture() {
    let text = '';
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    return { destination, text: () => text };
  }

  it('reads as one line per request and keeps secrets out, as JSON does', () => {
    const { destination, text } = capture();
    const logger = createLogger({ service: 'auth', format: 'pretty', destination });
    logger.info({ requestId: 'r-1', method: 'POST', path: '/auth/login', status: 200, ms: 12.3 }, 'request');
    logger.warn({ requestId: 'r-2', password: 'hunter2', body: { refreshToken: 'rt-secret' }, req: { headers: { authorization: 'Bearer eyJ.x.y' } } }, 'odd login');

    const [request, warning] = text().trimEnd().split('\n');
    expect(request).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: auth +POST \/auth\/login 200 12\.3 ms$/);
    expect(warning).toContain('WARN: auth     odd login');
    expect(warning).toContain('requestId=r-2');
    for (const secret of ['hunter2', 'rt-secret', 'eyJ.x.y']) expect(text()).not.toContain(secret);
    expect(warning).toContain('password=[redacted]');
  });

  it('is JSON when the destination is not a terminal, unless LOG_FORMAT says otherwise', () => {
    const { destination, text } = capture();
    createLogger({ service: 'gateway', destination }).info({ path: '/x' }, 'hello');
    expect(JSON.parse(text())).toMatchObject({ service: 'gateway', msg: 'hello', path: '/x' });

    expect(logFormatFor({}, true)).toBe('pretty');
    expect(logFormatFor({}, false)).toBe('json');
    expect(logFormatFor({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatFor({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => logFormatFor({ LOG_FORMAT: 'fancy' }, true)).toThrow('LOG_FORMAT must be "json" or "pretty"');
  });
});
