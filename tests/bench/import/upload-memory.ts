import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import http from 'node:http';
import { createCommentsApp, loadCommentsConfig, migrations, schema } from '@parley/comments';
import { connect, migrateToLatest } from '@parley/db';
import { silentLogger } from '@parley/platform';
import { createTestTokens } from '@parley/tokens/testing';
import { freshDatabase, newSite } from '../common';

/**
 * Not part of `pnpm bench`: a comments node's memory while a console upload of a Disqus FILE is
 * imported (docs/adr/0016) — the process's RSS (the node and the import's worker) and the node's
 * own heap, which the import should leave alone. Needs DATABASE_URL.
 *
 *   node --import tsx tests/bench/import/upload-memory.ts FILE
 */
async function main() {
  const file = process.argv[2]!;
  const db = await freshDatabase('parley_upload_measure');
  const m = connect<unknown>(db.source);
  await migrateToLatest(m, schema, migrations);
  await m.destroy();
  const site = await newSite(db.source, 'upload-measure');
  const tokens = createTestTokens();
  const app = createCommentsApp({ config: loadCommentsConfig({ REVOCATIONS_URL: 'off', IMPORT_UPLOAD_MAX_BYTES: String(300 * 2 ** 20) }), database: db.source, logger: silentLogger(), tokenVerifier: tokens.verifier, users: { find: async () => undefined } });
  const server = http.createServer(app.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const token = tokens.sign({ sub: crypto.randomUUID(), name: 'Admin', role: 'admin' });
  const before = process.memoryUsage();
  const peak = { rss: 0, heapUsed: 0, arrayBuffers: 0 };
  const sample = () => { const u = process.memoryUsage(); peak.rss = Math.max(peak.rss, u.rss); peak.heapUsed = Math.max(peak.heapUsed, u.heapUsed); peak.arrayBuffers = Math.max(peak.arrayBuffers, u.arrayBuffers); };
  const timer = setInterval(sample, 100);
  const started = performance.now();
  const { size } = await stat(file);
  const job = await new Promise<{ import: { id: string } }>((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: `/api/admin/sites/${site}/imports?format=disqus`, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/octet-stream', 'content-length': size } }, (res) => {
      let body = ''; res.on('data', (c) => (body += c)); res.on('end', () => (res.statusCode === 202 ? resolve(JSON.parse(body)) : reject(new Error(`${res.statusCode} ${body}`))));
    });
    createReadStream(file).pipe(req);
  });
  const uploaded = performance.now();
  let state: { state: string; summary: { comments: { imported: number } } | null; error: string | null };
  for (;;) {
    const res = await fetch(`http://127.0.0.1:${port}/api/admin/sites/${site}/imports/${job.import.id}`, { headers: { authorization: `Bearer ${token}` } });
    state = ((await res.json()) as { import: typeof state }).import;
    if (state.state === 'done' || state.state === 'failed') break;
    await new Promise((r) => setTimeout(r, 500));
  }
  clearInterval(timer);
  sample();
  const mib = (n: number) => (n / 2 ** 20).toFixed(1);
  console.log(JSON.stringify({ file: mib(size), state: state.state, error: state.error, imported: state.summary?.comments.imported, uploadSeconds: ((uploaded - started) / 1000).toFixed(1), seconds: ((performance.now() - started) / 1000).toFixed(1), rssBefore: mib(before.rss), heapBefore: mib(before.heapUsed), peakRss: mib(peak.rss), peakHeapUsed: mib(peak.heapUsed), peakArrayBuffers: mib(peak.arrayBuffers) }));
  server.close();
  await app.stop();
  await db.close();
}
void main();
