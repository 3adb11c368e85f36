import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoSite, type DemoSite } from './server';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw request: unlike fetch, node:http sends the path exactly as written (`..` included). */
function get(base: string, path: string, method = 'GET'): Promise<Reply> {
  const { hostname, port } = new URL(base);
  return new Promise((ok, fail) => {
    const req = request({ hostname, port, path, method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', fail);
    });
    req.on('error', fail);
    req.end();
  });
}

describe('the demo publisher site', () => {
  let site: DemoSite;
  beforeAll(async () => {
    site = await startDemoSite({ port: 0, parleyUrl: 'http://parley.test:8080/', demoUrl: 'http://news.test:8081' });
  });
  afterAll(() => site.close());

  it('serves the front page at / with the placeholders filled in', async () => {
    const res = await get(site.url, '/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body).toContain('<script src="http://parley.test:8080/embed.js" async></script>');
    expect(res.body).toContain('data-parley-count');
    expect(res.body).not.toContain('{{');
  });

  it('fills the widget element of an article page with both origins', async () => {
    const res = await get(site.url, '/articles/council-vote.html');
    expect(res.status).toBe(200);
    expect(res.body).toMatch(/<parley-comments[^>]*site="demo"[^>]*article="council-vote"/);
    expect(res.body).toContain('url="http://news.test:8081/articles/council-vote.html"');
    expect(res.body).toContain('id="comments"');
    expect(res.body).not.toContain('{{');
  });

  it('can embed another Parley site id, for widgets and counts alike', async () => {
    const other = await startDemoSite({ port: 0, parleyUrl: 'http://parley.test:8080', siteId: 'browser-test-1' });
    try {
      const article = await get(other.url, '/articles/council-vote.html');
      expect(article.body).toMatch(/<parley-comments[^>]*site="browser-test-1"/);
      expect(article.body).not.toMatch(/site="demo"/);
      expect((await get(other.url, '/')).body).toContain('data-site="browser-test-1"');
    } finally {
      await other.close();
    }
  });

  it('has a Russian edition of the first article with the same key', async () => {
    const res = await get(site.url, '/articles/council-vote.ru.html');
    expect(res.status).toBe(200);
    expect(res.body).toContain('<html lang="ru">');
    expect(res.body).toMatch(/<parley-comments[^>]*article="council-vote"[^>]*lang="ru"/);
  });

  it.each([
    ['/css/site.css', 'text/css; charset=utf-8'],
    ['/img/river.svg', 'image/svg+xml'],
    ['/articles/river-festival.html', 'text/html; charset=utf-8'],
  ])('serves %s as %s', async (path, type) => {
    const res = await get(site.url, path);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(type);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('leads every link on the front page and in the newsfeed to a page with its own discussion', async () => {
    const front = await get(site.url, '/');
    const links = [...new Set([...front.body.matchAll(/href="(articles\/[a-z0-9.-]+\.html)/g)].map((match) => match[1]!))];
    expect(links.length).toBeGreaterThanOrEqual(8);
    for (const link of links) {
      const page = await get(site.url, `/${link}`);
      expect({ link, status: page.status }).toEqual({ link, status: 200 });
      const key = link.replace(/^articles\/|\.html$/g, '');
      expect(page.body).toContain(`article="${key}"`);
      expect(page.body).not.toContain('{{');
    }
    const story = await get(site.url, '/articles/harbour-bridge-repairs.html');
    expect(story.body).toContain('<title>Harbour Bridge to close to cars for six weeks of repairs | The Kestrelford Courier</title>');
    expect(story.body).toContain('class="newsfeed"');
    expect(story.body).toContain('url="http://news.test:8081/articles/harbour-bridge-repairs.html"');
  });

  it('ignores the query string', async () => {
    expect((await get(site.url, '/css/site.css?v=2')).status).toBe(200);
  });

  it('answers unknown paths with its 404 page', async () => {
    const res = await get(site.url, '/articles/no-such-story.html');
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="en">');
    expect(res.body).not.toContain('{{');
  });

  it.each(['/../package.json', '/%2e%2e/package.json', '/%2E%2E%2Fpackage.json', '/articles/..%2f..%2fpackage.json', '/..%5cpackage.json', '/%00', '/%E0%A4%A'])(
    'refuses %s',
    async (path) => {
      const res = await get(site.url, path);
      expect([400, 404]).toContain(res.status);
      expect(res.body).not.toContain('@parley/demo-site');
    },
  );

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(site.url, '/', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get(site.url, '/', 'POST')).status).toBe(405);
  });
});

describe('startDemoSite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'parley-demo-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'index.html'), '<p>{{PARLEY_URL}} {{DEMO_URL}}</p>');
    writeFileSync(join(dir, '.secret'), 'hidden');
    writeFileSync(join(dir, 'pixel.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('starts on port 0, defaults the demo URL to its own address, and closes cleanly', async () => {
    const site = await startDemoSite({ port: 0, parleyUrl: 'http://localhost:8080', publicDir: dir });
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await get(site.url, '/');
    expect(res.body).toBe(`<p>http://localhost:8080 ${site.url}</p>`);
    expect(res.headers['cache-control']).toBe('no-cache');
    const png = await get(site.url, '/pixel.png');
    expect(png.headers['content-type']).toBe('image/png');
    expect(png.headers['cache-control']).not.toBe('no-cache');
    expect((await get(site.url, '/.secret')).status).toBe(404);
    expect((await get(site.url, '/sub')).status).toBe(404);
    await site.close();
    await expect(get(site.url, '/')).rejects.toThrow(/ECONNREFUSED/);
  });

  it('fails to start on a port that is taken', async () => {
    const first = await startDemoSite({ port: 0, parleyUrl: 'http://localhost:8080', publicDir: dir });
    const port = Number(new URL(first.url).port);
    await expect(startDemoSite({ port, parleyUrl: 'http://localhost:8080', publicDir: dir })).rejects.toMatchObject({ code: 'EADDRINUSE' });
    await first.close();
  });
});
