import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type express from 'express';
import request from 'supertest';
import type { ImportJob } from '@parley/contracts';
import { Readable } from 'node:stream';
import { loadCommentsConfig } from '../config';
import { deferredPublisher } from '../events/event-publisher';
import { importJobsService } from './import-jobs.service';
import { importsService } from './imports.service';
import { articleRow, bearer, newSite, newSiteModerator, newStaff, newUser, startTestApp, threadPath, type TestApp, type TestUser } from '../test-support';

/**
 * The console's import: `POST /api/admin/sites/:site/imports?format=…` with the export file as the
 * raw body, answered 202 with a job that `GET …/imports/:id` reports on until its summary.
 */
// Each import starts a worker thread that loads the pipeline (TypeScript, compiled on the way in).
jest.setTimeout(60_000);

let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

const uploadPath = (site: string, query = 'format=disqus') => `/api/admin/sites/${site}/imports?${query}`;
const upload = (app: express.Express, site: string, file: string | Buffer, user?: TestUser, query?: string) => {
  const call = request(app).post(uploadPath(site, query)).set('content-type', 'application/octet-stream');
  return (user ? call.set(bearer(user)) : call).send(Buffer.from(file));
};

/** Asks after the job until it is done or failed (the test's timeout bounds the wait). */
async function finished(app: express.Express, site: string, id: string, user: TestUser): Promise<ImportJob> {
  for (;;) {
    const job = (await request(app).get(`/api/admin/sites/${site}/imports/${id}`).set(bearer(user)).expect(200)).body.import as ImportJob;
    if (job.state === 'done' || job.state === 'failed') return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const disqus = (threads: string, posts: string) =>
  `<?xml version="1.0" encoding="utf-8"?>\n<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n${threads}\n${posts}\n</disqus>\n`;
const thread = (id: string, key: string) => `<thread dsq:id="${id}"><id>${key}</id><link>https://www.gazette.example/${key}</link><title>Story ${key}</title></thread>`;
const post = (id: string, threadId: string, text: string, extra = '') =>
  `<post dsq:id="${id}"><message><![CDATA[<p>${text}</p>]]></message><createdAt>2019-03-01T10:00:00Z</createdAt><author><name>Reader ${id}</name><username>r-${id}</username></author><thread dsq:id="${threadId}"/>${extra}</post>`;

const jobs = (site: string) => t.db.selectFrom('import_jobs').selectAll().where('site_id', '=', site).execute();

describe('POST /api/admin/sites/:site/imports', () => {
  it('requires authentication, an admin, and a staff session, writing nothing', async () => {
    const site = await newSite(t.db);
    const key = `story-${randomUUID().slice(0, 8)}`;
    const file = disqus(thread('t1', key), post('p1', 't1', 'Hello'));
    expect((await upload(t.app, site, file)).status).toBe(401);
    for (const user of [newUser(t.tokens), newStaff(t.tokens, 'moderator'), newSiteModerator(t.tokens, [site])]) {
      const refused = await upload(t.app, site, file, user);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe('forbidden');
    }
    // An admin signed in on a publisher's page holds a participant session only.
    const widgetAdmin = { id: randomUUID(), name: 'Admin', token: t.tokens.sign({ sub: randomUUID(), name: 'Admin', role: 'admin', scope: 'participant' }) };
    expect((await upload(t.app, site, file, widgetAdmin)).body.error.code).toBe('staff_session_required');
    expect((await request(t.app).get(`/api/admin/sites/${site}/imports/${randomUUID()}`).set(bearer(newStaff(t.tokens, 'moderator')))).status).toBe(403);
    expect(await jobs(site)).toEqual([]);
    expect(await articleRow(t.db, { site, article: key })).toBeUndefined();
  });

  it('answers 404 for an unknown site or import, and 400 for an unknown format', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const missing = await upload(t.app, `nowhere-${randomUUID().slice(0, 8)}`, disqus('', ''), admin);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('site_not_found');
    const site = await newSite(t.db);
    for (const query of ['format=myspace', '', 'format=disqus&dryRun=maybe']) {
      const bad = await upload(t.app, site, disqus('', ''), admin, query);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('validation_failed');
    }
    const unknown = await request(t.app).get(`/api/admin/sites/${site}/imports/${randomUUID()}`).set(bearer(admin));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('import_not_found');
    expect((await request(t.app).get(`/api/admin/sites/${site}/imports/not-a-uuid`).set(bearer(admin))).status).toBe(400);
    expect(await jobs(site)).toEqual([]);
  });

  it('imports the file in the background and reports the summary; the same file again changes nothing', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const site = await newSite(t.db);
    const key = `story-${randomUUID().slice(0, 8)}`;
    const file = disqus(thread('t1', key), [post('p1', 't1', 'First'), post('p2', 't1', 'A reply', '<parent dsq:id="p1"/>'), post('p3', 't1', 'Spam', '<isSpam>true</isSpam>')].join('\n'));

    const dry = await upload(t.app, site, file, admin, 'format=disqus&dryRun=true').expect(202);
    expect(dry.body.import).toMatchObject({ site, source: 'disqus', dryRun: true, bytes: Buffer.byteLength(file) });
    const dryDone = await finished(t.app, site, dry.body.import.id, admin);
    expect(dryDone.summary).toMatchObject({ dryRun: true, articles: { created: 1 }, comments: { imported: 2 }, skipped: { spam: 1 } });
    expect(await articleRow(t.db, { site, article: key })).toBeUndefined();

    const started = await upload(t.app, site, file, admin).expect(202);
    expect(started.body.import).toMatchObject({ id: expect.any(String), site, source: 'disqus', dryRun: false, state: 'running', startedBy: admin.id });
    const done = await finished(t.app, site, started.body.import.id, admin);
    expect(done).toMatchObject({ state: 'done', error: null, finishedAt: expect.any(String) });
    expect(done.progress).toMatchObject({ bytesRead: Buffer.byteLength(file), commentsRead: 2, articlesWritten: 1, articlesTotal: 1, commentsWritten: 2 });
    expect(done.summary).toMatchObject({
      source: 'disqus',
      site,
      dryRun: false,
      articles: { created: 1, updated: 0, unchanged: 0 },
      comments: { read: 2, imported: 2, tombstones: 0, alreadyImported: 0, orphans: 0 },
      authors: { created: 2 },
      skipped: { spam: 1 },
      problemCount: 1,
    });
    expect(done.summary!.problems[0]).toMatchObject({ place: { line: 6, column: 1 }, message: expect.stringContaining('spam') });
    const read = (await request(t.app).get(threadPath({ site, article: key })).expect(200)).body;
    expect(read.article).toMatchObject({ title: `Story ${key}`, commentCount: 2 });
    expect(read.comments[0].html).toBe('<p>First</p>');

    const again = await upload(t.app, site, file, admin).expect(202);
    const second = await finished(t.app, site, again.body.import.id, admin);
    expect(second.summary).toMatchObject({ articles: { created: 0, updated: 0, unchanged: 1 }, comments: { imported: 0, alreadyImported: 2 }, authors: { created: 0 } });
    expect((await request(t.app).get(threadPath({ site, article: key })).expect(200)).body.article.commentCount).toBe(2);
  });

  it('reports a malformed file\'s problems with their places, and never writes half an article', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const site = await newSite(t.db);
    const key = `story-${randomUUID().slice(0, 8)}`;
    // p2's close tag is mistyped: that post alone is skipped; the file is cut off inside p4.
    const file = disqus(thread('t1', key), [post('p1', 't1', 'Good'), post('p2', 't1', 'Broken').replace('</message>', '</mesage>'), post('p3', 't1', 'Also good'), '<post dsq:id="p4"><message>cut'].join('\n')).replace(/<\/disqus>\n$/, '');
    const started = await upload(t.app, site, file, admin).expect(202);
    const done = await finished(t.app, site, started.body.import.id, admin);
    expect(done.state).toBe('done');
    expect(done.summary).toMatchObject({ comments: { imported: 2 }, skipped: { malformed: 2 } });
    expect(done.summary!.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ place: { line: 5, column: 1 }, message: expect.stringContaining('unexpected close tag') }),
        expect.objectContaining({ place: { line: 7, column: 1 }, message: expect.stringContaining('unclosed tag') }),
      ]),
    );
    expect((await request(t.app).get(threadPath({ site, article: key })).expect(200)).body.article.commentCount).toBe(2);

    // A file whose article the service refuses (a comment id longer than Parley keeps): the import
    // fails with why, and the article is not there at all — not half of it.
    const refusedKey = `story-${randomUUID().slice(0, 8)}`;
    const refused = disqus(thread('t9', refusedKey), [post('q1', 't9', 'Fine'), post('q'.repeat(300), 't9', 'Id too long')].join('\n'));
    const failing = await upload(t.app, site, refused, admin).expect(202);
    const failed = await finished(t.app, site, failing.body.import.id, admin);
    expect(failed).toMatchObject({ state: 'failed', summary: null, error: expect.stringContaining('sourceId') });
    expect(await articleRow(t.db, { site, article: refusedKey })).toBeUndefined();
  });

  it('answers 409 while another import of the site runs, until its node has stopped beating', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const site = await newSite(t.db);
    const other = randomUUID();
    await t.db.insertInto('import_jobs').values({ id: other, site_id: site, source: 'disqus', dry_run: false, state: 'running', started_by: admin.id, heartbeat_at: t.clock.now() }).execute();
    const busy = await upload(t.app, site, disqus('', ''), admin);
    expect(busy.status).toBe(409);
    expect(busy.body.error.code).toBe('import_running');
    expect((await jobs(site)).map((j) => j.id)).toEqual([other]);

    // Its node went away: three minutes without a beat, and the site is free again.
    t.clock.advance(180);
    const taken = await upload(t.app, site, disqus('', ''), admin).expect(202);
    await finished(t.app, site, taken.body.import.id, admin);
    const old = (await request(t.app).get(`/api/admin/sites/${site}/imports/${other}`).set(bearer(admin)).expect(200)).body.import;
    expect(old).toMatchObject({ state: 'failed', error: expect.stringContaining('went away') });
  });

  it('refuses a file over IMPORT_UPLOAD_MAX_BYTES with 413, declared or streamed, keeping nothing', async () => {
    const small = t.withEnv({ IMPORT_UPLOAD_MAX_BYTES: '2000' });
    const admin = newStaff(t.tokens, 'admin');
    const site = await newSite(t.db);
    const key = `story-${randomUUID().slice(0, 8)}`;
    const file = disqus(thread('t1', key), Array.from({ length: 20 }, (_, i) => post(`p${i}`, 't1', `Comment ${i}`)).join('\n'));
    expect(Buffer.byteLength(file)).toBeGreaterThan(2000);
    const declared = await upload(small, site, file, admin);
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('payload_too_large');

    // Without a Content-Length (chunked), counted as it arrives: the client still hears the 413.
    const server = http.createServer(small);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const call = http.request({ host: '127.0.0.1', port, method: 'POST', path: uploadPath(site), headers: { 'content-type': 'application/octet-stream', ...bearer(admin) } }, (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk)).on('end', () => resolve({ status: res.statusCode!, body }));
        });
        call.on('error', reject);
        for (let at = 0; at < file.length; at += 500) call.write(file.slice(at, at + 500));
        call.end();
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body).error.code).toBe('payload_too_large');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(await jobs(site)).toEqual([]);
    expect(await articleRow(t.db, { site, article: key })).toBeUndefined();
    // Under the limit the same app takes it.
    const fits = await upload(small, site, disqus(thread('t1', key), post('p1', 't1', 'Short')), admin).expect(202);
    expect((await finished(small, site, fits.body.import.id, admin)).summary?.comments.imported).toBe(1);
  });

  it('imports a fixture export of every format', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const fixtures = join(__dirname, '../../../../packages/imports/src/fixtures');
    for (const [format, name] of [['wordpress', 'wordpress-messy.xml'], ['commento', 'commento.json'], ['parley', 'parley.jsonl']] as const) {
      const site = await newSite(t.db);
      const started = await upload(t.app, site, await readFile(join(fixtures, name)), admin, `format=${format}`).expect(202);
      const done = await finished(t.app, site, started.body.import.id, admin);
      expect(done.state).toBe('done');
      expect(done.summary!.comments.imported).toBeGreaterThan(0);
    }
  });

  it('writes on the node\'s own thread when the database is the embedded one (no worker connection)', async () => {
    // The app under test runs on PostgreSQL, where the worker writes itself; this is the other path.
    const context = { db: t.db, clock: t.clock.now, config: loadCommentsConfig({ REVOCATIONS_URL: 'off' }), publisher: deferredPublisher() };
    const jobs = importJobsService({ ...context, imports: importsService(context) });
    const admin = { id: randomUUID(), name: 'Admin', role: 'admin' as const, scope: 'staff' as const, sessionId: randomUUID(), sites: [] };
    const site = await newSite(t.db);
    const key = `story-${randomUUID().slice(0, 8)}`;
    const file = Buffer.from(disqus(thread('t1', key), [post('p1', 't1', 'First'), post('p2', 't1', 'Second', '<parent dsq:id="p1"/>')].join('\n')));
    const started = await jobs.upload(admin, site, { source: 'disqus', dryRun: false }, { body: Readable.from([file]), declaredBytes: file.length });
    await jobs.idle();
    const done = await jobs.show(admin, site, started.id);
    expect(done).toMatchObject({ state: 'done', summary: { comments: { imported: 2 } } });
    expect((await request(t.app).get(threadPath({ site, article: key })).expect(200)).body.article.commentCount).toBe(2);
    await jobs.stop();
  });

  it('records why an import stopped when the service shuts down, and the same upload then finishes it', async () => {
    const context = { db: t.db, clock: t.clock.now, config: loadCommentsConfig({ REVOCATIONS_URL: 'off' }), publisher: deferredPublisher() };
    const admin = { id: randomUUID(), name: 'Admin', role: 'admin' as const, scope: 'staff' as const, sessionId: randomUUID(), sites: [] };
    const site = await newSite(t.db);
    const key = `story-${randomUUID().slice(0, 8)}`;
    const file = Buffer.from(disqus(thread('t1', key), post('p1', 't1', 'First')));
    const jobs = importJobsService({ ...context, imports: importsService(context) });
    const started = await jobs.upload(admin, site, { source: 'disqus', dryRun: false }, { body: Readable.from([file]), declaredBytes: file.length });
    // Shut down before its worker has read anything.
    await jobs.stop();
    expect(await jobs.show(admin, site, started.id)).toMatchObject({ state: 'failed', error: expect.stringContaining('shutting down') });
    const refused = jobs.upload(admin, site, { source: 'disqus', dryRun: false }, { body: Readable.from([file]), declaredBytes: file.length });
    await expect(refused).rejects.toMatchObject({ status: 503 });

    const again = await upload(t.app, site, file, newStaff(t.tokens, 'admin')).expect(202);
    expect((await finished(t.app, site, again.body.import.id, newStaff(t.tokens, 'admin'))).summary?.comments.imported).toBe(1);
  });
});
