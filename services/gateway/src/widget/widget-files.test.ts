import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { silentLogger } from '@parley/platform';
import { createGatewayApp, type GatewayApp } from '../app';
import { loadGatewayConfig } from '../config';

let dir: string;
let gateway: GatewayApp;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-widget-'));
  mkdirSync(join(dir, 'widget'));
  writeFileSync(join(dir, 'embed.js'), 'console.log("loader")');
  writeFileSync(join(dir, 'widget', 'widget.js'), 'export const widget = 1;');
  writeFileSync(join(dir, 'secret.txt'), 'not for the public');
  mkdirSync(join(dir, 'console'));
  writeFileSync(join(dir, 'console', 'index.html'), '<!doctype html><title>console</title>');
  writeFileSync(join(dir, 'console', 'console.js'), 'export {};');
  gateway = createGatewayApp({ config: loadGatewayConfig({ WIDGET_DIR: dir }), logger: silentLogger() });
});

afterAll(async () => {
  await gateway.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('the widget scripts', () => {
  it('serves the loader to pages on any origin, as JavaScript, briefly cached', async () => {
    const res = await request(gateway.app).get('/embed.js').set('Origin', 'https://any-publisher.example').expect(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(res.text).toBe('console.log("loader")');
  });

  it('serves the widget module and nothing outside the widget folder', async () => {
    const res = await request(gateway.app).get('/widget/widget.js').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.text).toContain('export const widget');
    await request(gateway.app).get('/widget/../secret.txt').expect(404);
    await request(gateway.app).get('/widget/%2e%2e/secret.txt').expect(404);
    await request(gateway.app).get('/widget/missing.js').expect(404);
  });

  it('serves the moderator console at /moderate, same-origin only and never framed', async () => {
    const page = await request(gateway.app).get('/moderate').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['access-control-allow-origin']).toBeUndefined();
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    await request(gateway.app).get('/moderate/console.js').expect(200).expect('content-type', /javascript/);
    await request(gateway.app).get('/moderate/../secret.txt').expect(404);
  });

  it('says how to build it when it has not been built', async () => {
    const bare = createGatewayApp({ config: loadGatewayConfig({ WIDGET_DIR: join(dir, 'nowhere') }), logger: silentLogger() });
    const res = await request(bare.app).get('/embed.js').expect(404);
    expect(res.body.error.message).toMatch(/pnpm --filter @parley\/widget build/);
    await bare.stop();
  });
});
