import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, moderationPath as m, newSite, newSiteModerator, newStaff, newUser, startTestApp, type TestApp } from '../test-support';

/** Site administration without SQL: `/api/admin/sites`, admins write, moderators read their own. */
let t: TestApp;
beforeAll(async () => (t = await startTestApp()));
afterAll(async () => t.close());

const sites = '/api/admin/sites';
const newId = () => `gazette-${randomUUID().slice(0, 8)}`;
const siteRow = (id: string) => t.db.selectFrom('sites').selectAll().where('id', '=', id).executeTakeFirst();

describe('POST /api/admin/sites', () => {
  it('requires authentication, an admin, and a staff session', async () => {
    const id = newId();
    const body = { id, name: 'The Gazette' };
    expect((await request(t.app).post(sites).send(body)).status).toBe(401);
    expect((await request(t.app).post(sites).set(bearer(newUser(t.tokens))).send(body)).status).toBe(403);
    expect((await request(t.app).post(sites).set(bearer(newStaff(t.tokens, 'moderator'))).send(body)).body.error.code).toBe('forbidden');
    const widgetAdmin = { Authorization: `Bearer ${t.tokens.sign({ sub: randomUUID(), name: 'Admin', role: 'admin', scope: 'participant' })}` };
    expect((await request(t.app).post(sites).set(widgetAdmin).send(body)).body.error.code).toBe('staff_session_required');
    expect(await siteRow(id)).toBeUndefined();
  });

  it('adds a site with normalised origins and settings, once, and logs it', async () => {
    const admin = newStaff(t.tokens, 'admin', 'Editor in Chief');
    const id = newId();
    const created = await request(t.app)
      .post(sites)
      .set(bearer(admin))
      .send({ id, name: 'The Gazette', origins: ['https://News.Gazette.example:443/', 'http://localhost:8090', 'https://news.gazette.example'], settings: { premoderation: true, removalReasons: ['Spam', 'Abuse'] } })
      .expect(201);
    expect(created.body.site).toEqual({
      id,
      name: 'The Gazette',
      origins: ['https://news.gazette.example', 'http://localhost:8090'],
      settings: { premoderation: true, removalReasons: ['Spam', 'Abuse'] },
      createdAt: expect.any(String),
    });
    const origins = await request(t.app).get('/internal/allowed-origins').expect(200);
    expect(origins.body.origins).toContain('https://news.gazette.example');

    const again = await request(t.app).post(sites).set(bearer(admin)).send({ id, name: 'Another' }).expect(409);
    expect(again.body.error.code).toBe('site_exists');
    expect((await siteRow(id))?.name).toBe('The Gazette');

    const log = await request(t.app).get(m(`/log?site=${id}`)).set(bearer(admin)).expect(200);
    expect(log.body.entries).toEqual([expect.objectContaining({ action: 'site.create', targetType: 'site', targetId: id, moderator: expect.objectContaining({ name: 'Editor in Chief' }) })]);
  });

  it.each([
    [{ origins: ['https://news.example/articles'] }, 'origins.0'],
    [{ origins: ['javascript:alert(1)'] }, 'origins.0'],
    [{ origins: ['*'] }, 'origins.0'],
    [{ origins: ['https://user:pw@news.example'] }, 'origins.0'],
    [{ id: 'Not Valid' }, 'id'],
    [{ name: '' }, 'name'],
    [{ settings: { editWindowSeconds: -1 } }, 'settings.editWindowSeconds'],
    [{ settings: { guidelinesUrl: 'file:///etc/passwd' } }, 'settings.guidelinesUrl'],
    [{ extra: true }, 'body'],
  ])('refuses %j naming %s, creating nothing', async (override, field) => {
    const id = newId();
    const response = await request(t.app).post(sites).set(bearer(newStaff(t.tokens, 'admin'))).send({ id, name: 'Gazette', ...override }).expect(400);
    expect(response.body.error.details.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(await siteRow(id)).toBeUndefined();
  });
});

describe('PATCH /api/admin/sites/:site', () => {
  it('changes name, origins and settings (null back to the default), logging what changed', async () => {
    const admin = newStaff(t.tokens, 'admin');
    const id = newId();
    await request(t.app).post(sites).set(bearer(admin)).send({ id, name: 'Gazette', settings: { premoderation: true, editWindowSeconds: 600 } }).expect(201);
    const patched = await request(t.app)
      .patch(`${sites}/${id}`)
      .set(bearer(admin))
      .send({ name: 'The Gazette', origins: ['https://gazette.example'], settings: { premoderation: null, reportsToPending: 3 } })
      .expect(200);
    expect(patched.body.site).toMatchObject({ name: 'The Gazette', origins: ['https://gazette.example'], settings: { editWindowSeconds: 600, reportsToPending: 3 } });
    expect(patched.body.site.settings).not.toHaveProperty('premoderation');
    const log = await request(t.app).get(m(`/log?site=${id}`)).set(bearer(admin)).expect(200);
    expect(log.body.entries[0]).toMatchObject({
      action: 'site.update',
      details: {
        changes: {
          name: { from: 'Gazette', to: 'The Gazette' },
          origins: { from: [], to: ['https://gazette.example'] },
          'settings.premoderation': { from: true, to: null },
          'settings.reportsToPending': { from: null, to: 3 },
        },
      },
    });
  });

  it('answers 404 for an unknown site, 400 for an empty change, and a moderator 403', async () => {
    const admin = newStaff(t.tokens, 'admin');
    expect((await request(t.app).patch(`${sites}/no-such-site`).set(bearer(admin)).send({ name: 'x' })).body.error.code).toBe('site_not_found');
    const id = await newSite(t.db);
    expect((await request(t.app).patch(`${sites}/${id}`).set(bearer(admin)).send({})).status).toBe(400);
    expect((await request(t.app).patch(`${sites}/${id}`).set(bearer(newSiteModerator(t.tokens, [id]))).send({ name: 'Mine now' })).status).toBe(403);
    expect((await siteRow(id))?.name).not.toBe('Mine now');
  });
});

describe('GET /api/admin/sites', () => {
  it('lists every site for an admin and only their own for a moderator', async () => {
    const [mine, other] = [await newSite(t.db), await newSite(t.db)];
    const moderator = newSiteModerator(t.tokens, [mine]);
    const theirs = await request(t.app).get(sites).set(bearer(moderator)).expect(200);
    expect(theirs.body.sites.map((site: { id: string }) => site.id)).toEqual([mine]);
    await request(t.app).get(`${sites}/${mine}`).set(bearer(moderator)).expect(200);
    expect((await request(t.app).get(`${sites}/${other}`).set(bearer(moderator))).status).toBe(403);
    const all = await request(t.app).get(sites).set(bearer(newStaff(t.tokens, 'admin'))).expect(200);
    expect(all.body.sites.map((site: { id: string }) => site.id)).toEqual(expect.arrayContaining([mine, other]));
    expect((await request(t.app).get(sites).set(bearer(newUser(t.tokens)))).status).toBe(403);
  });
});
