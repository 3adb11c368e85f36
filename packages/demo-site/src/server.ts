import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import { courierAccounts, type CourierSignOn } from './courier-accounts';
import { renderStory, stories } from './stories';

/**
 * The demo publisher website: a tiny static server for `public/`, standing in for a news site that
 * embeds Parley from another origin. HTML files get `{{PARLEY_URL}}` (the gateway, where embed.js
 * lives) and `{{DEMO_URL}}` (this site's own origin) filled in as they are served.
 */
export interface DemoSiteOptions {
  port: number;
  host?: string;
  /** The Parley gateway's public URL, e.g. `http://localhost:8080`. */
  parleyUrl: string;
  /** This site's public origin; defaults to `http://<host>:<bound port>`. */
  demoUrl?: string;
  /** The folder served; defaults to this package's `public/`. */
  publicDir?: string;
  /** Publisher sign-on for the demo: the Courier's own accounts hand the widget a signed token on the river-festival article. */
  signOn?: CourierSignOn;
  /**
   * The Parley site id the pages embed; defaults to `demo`, the seeded site. Tests give each run a
   * site of its own so they never see each other's comments.
   */
  siteId?: string;
}

export interface DemoSite {
  url: string;
  close(): Promise<void>;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

export const defaultPublicDir = resolve(__dirname, '..', 'public');

export async function startDemoSite(options: DemoSiteOptions): Promise<DemoSite> {
  const host = options.host ?? '127.0.0.1';
  const root = resolve(options.publicDir ?? defaultPublicDir);
  const parleyUrl = trimSlash(options.parleyUrl);
  let demoUrl = options.demoUrl ? trimSlash(options.demoUrl) : '';

  const siteId = options.siteId ?? 'demo';
  const accounts = options.signOn ? courierAccounts({ ...options.signOn, siteId: options.signOn.siteId ?? options.siteId ?? 'demo' }) : undefined;
  const courierBar = accounts ? '<p class="courier-account" id="courier-account">Checking your Courier account…</p>\n        <script src="../js/courier-account.js" defer></script>' : '';
  const fill = (html: string) => {
    const filled = html.replaceAll('{{PARLEY_URL}}', parleyUrl).replaceAll('{{DEMO_URL}}', demoUrl).replaceAll('<!--COURIER-ACCOUNT-->', courierBar);
    return siteId === 'demo' ? filled : filled.replaceAll('site="demo"', `site="${siteId}"`).replaceAll('data-site="demo"', `data-site="${siteId}"`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) send(res, 500, 'text/plain; charset=utf-8', 'Internal server error');
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (accounts && (await accounts(req, res))) return;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed', req);
    }
    const file = resolvePath(root, req.url ?? '/');
    if (file === 'bad') return send(res, 400, 'text/plain; charset=utf-8', 'Bad request', req);
    const found = file && (await isFile(file));
    const story = /^\/articles\/([a-z0-9-]+)\.html$/.exec((req.url ?? '').split(/[?#]/, 1)[0] ?? '')?.[1];
    if (!found && story && Object.hasOwn(stories, story)) {
      const frame = await readFile(join(root, 'articles', 'river-festival.html'), 'utf8');
      res.setHeader('Cache-Control', 'no-cache');
      return send(res, 200, 'text/html; charset=utf-8', fill(renderStory(frame, story, stories[story]!)), req);
    }
    if (!file || !found) {
      const page = await readFile(join(root, '404.html'), 'utf8').catch(() => 'Not found');
      res.setHeader('Cache-Control', 'no-cache');
      return send(res, 404, 'text/html; charset=utf-8', fill(page), req);
    }
    const ext = extname(file).toLowerCase();
    const type = contentTypes[ext] ?? 'application/octet-stream';
    const body = await readFile(file);
    res.setHeader('Cache-Control', ext === '.html' ? 'no-cache' : 'public, max-age=300');
    send(res, 200, type, ext === '.html' ? fill(body.toString('utf8')) : body, req);
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (!demoUrl) demoUrl = url;

  return {
    url,
    close: () =>
      new Promise<void>((ok, fail) => {
        server.close((error) => (error ? fail(error) : ok()));
        server.closeAllConnections();
      }),
  };
}

/**
 * Maps a request target to a file under `root`: `null` when it cannot exist there, `'bad'` when the
 * path is malformed or tries to climb out (`..`, also percent-encoded, backslashes, NUL bytes).
 */
export function resolvePath(root: string, target: string): string | null | 'bad' {
  const rawPath = target.split(/[?#]/, 1)[0] ?? '/';
  let path: string;
  try {
    path = decodeURIComponent(rawPath);
  } catch {
    return 'bad';
  }
  if (!path.startsWith('/') || path.includes('\0') || path.includes('\\')) return 'bad';
  if (path.split('/').some((segment) => segment === '..' || segment === '.')) return 'bad';
  if (path.endsWith('/')) path += 'index.html';
  const file = resolve(root, '.' + path);
  if (!file.startsWith(root + sep)) return 'bad';
  // Dotfiles (and dot-folders) are never served.
  if (path.split('/').some((segment) => segment.startsWith('.'))) return null;
  return file;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

function send(res: ServerResponse, status: number, type: string, body: string | Buffer, req?: IncomingMessage): void {
  const buffer = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Content-Length', buffer.length);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.end(req?.method === 'HEAD' ? undefined : buffer);
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
