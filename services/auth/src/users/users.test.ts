import request from 'supertest';
import jwt from 'jsonwebtoken';
import { bearer, expectError, loginStaff, registerUser, startTestAuth, type TestAuth } from '../test-support';

let t: TestAuth;
beforeAll(async () => (t = await startTestAuth()));
afterAll(async () => t.close());

/** A registered user given a role directly in the database, then logged in again for a token with it. */
async function userWithRole(role: 'reader' | 'moderator' | 'admin', displayName = `Account ${role.length}`) {
  const user = await registerUser(t.app, { displayName });
  await t.db.updateTable('users').set({ role }).where('id', '=', user.session.user.id).execute();
  // Staff powers need a staff session: password and a code of the account's authenticator app.
  const token = role === 'reader'
    ? ((await request(t.app).post('/auth/login').send({ email: user.email, password: user.password }).expect(200)).body.accessToken as string)
    : (await loginStaff(t, user)).accessToken;
  return { ...user, id: user.session.user.id, token };
}

const roleOf = async (id: string) => (await t.db.selectFrom('users').select('role').where('id', '=', id).executeTakeFirstOrThrow()).role;

describe('PUT /auth/users/:id/role', () => {
  it('requires authentication, and an admin', async () => {
    const target = await userWithRole('reader');
    expectError(await request(t.app).put(`/auth/users/${target.id}/role`).send({ role: 'moderator' }), 401, 'unauthenticated');
    for (const role of ['reader', 'moderator'] as const) {
      const actor = await userWithRole(role);
      const res = await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(actor.token)).send({ role: 'moderator' });
      expectError(res, 403, 'forbidden');
    }
    expect(await roleOf(target.id)).toBe('reader');
  });

  it('lets an admin grant the moderator role: the old session ends at once and the next login carries the role', async () => {
    const admin = await userWithRole('admin');
    const target = await userWithRole('reader', 'Future Desk');
    const res = await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'moderator', sites: ['gazette'] }).expect(200);
    expect(res.body.user).toEqual(expect.objectContaining({ id: target.id, role: 'moderator', sites: ['gazette'] }));
    // The token with the old role is refused, and so is its refresh token.
    expectError(await request(t.app).get('/auth/me').set(bearer(target.token)), 401, 'session_revoked');
    expectError(await request(t.app).post('/auth/refresh').send({ refreshToken: target.session.refreshToken }), 401, 'invalid_refresh_token');
    const again = await request(t.app).post('/auth/login').send({ email: target.email, password: target.password }).expect(200);
    expect((jwt.decode(again.body.accessToken) as { role: string; scope: string }).role).toBe('moderator');

    await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'reader' }).expect(200);
    expect(await roleOf(target.id)).toBe('reader');
  });

  it('refuses bad input, unknown accounts and an admin changing their own role', async () => {
    const admin = await userWithRole('admin');
    const target = await userWithRole('reader');
    const bad = expectError(await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'owner' }), 400, 'validation_failed');
    expect(bad.details).toEqual([expect.objectContaining({ field: 'role' })]);
    expectError(await request(t.app).put('/auth/users/not-a-uuid/role').set(bearer(admin.token)).send({ role: 'reader' }), 400, 'validation_failed');
    expectError(
      await request(t.app).put('/auth/users/00000000-0000-4000-8000-000000000000/role').set(bearer(admin.token)).send({ role: 'moderator', sites: ['demo'] }),
      404,
      'not_found',
    );
    expectError(await request(t.app).put(`/auth/users/${admin.id}/role`).set(bearer(admin.token)).send({ role: 'reader' }), 403, 'forbidden');
    expect(await roleOf(admin.id)).toBe('admin');
    expect(await roleOf(target.id)).toBe('reader');
  });

  it('refuses an admin whose role was revoked while their token is still valid', async () => {
    const admin = await userWithRole('admin');
    const target = await userWithRole('reader');
    await t.db.updateTable('users').set({ role: 'reader' }).where('id', '=', admin.id).execute();
    expectError(await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'admin' }), 403, 'forbidden');
    expect(await roleOf(target.id)).toBe('reader');
  });
});

describe('GET /auth/users?email=', () => {
  it('finds an account by email, case-insensitively, for admins only', async () => {
    const admin = await userWithRole('admin');
    const target = await userWithRole('reader', 'Findable');
    const res = await request(t.app).get('/auth/users').query({ email: target.email.toUpperCase() }).set(bearer(admin.token)).expect(200);
    expect(res.body.user).toEqual({ id: target.id, email: target.email, displayName: 'Findable', role: 'reader', sites: [], emailVerified: false });
    expectError(await request(t.app).get('/auth/users').query({ email: 'nobody@example.com' }).set(bearer(admin.token)), 404, 'not_found');
    expectError(await request(t.app).get('/auth/users').set(bearer(admin.token)), 400, 'validation_failed');
    const reader = await userWithRole('reader');
    expectError(await request(t.app).get('/auth/users').query({ email: target.email }).set(bearer(reader.token)), 403, 'forbidden');
    expectError(await request(t.app).get('/auth/users').query({ email: target.email }), 401, 'unauthenticated');
  });
});

describe('staff per site', () => {
  it('makes a moderator of the sites named, carried in their next token, and refuses a moderator without sites', async () => {
    const admin = await userWithRole('admin');
    const target = await userWithRole('reader', 'Gazette Desk');
    const noSites = expectError(
      await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'moderator' }),
      400,
      'validation_failed',
    );
    expect(noSites.details).toEqual([{ field: 'sites', message: 'must name at least one site (or "*") for a moderator' }]);
    expectError(await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'admin', sites: ['x'] }), 400, 'validation_failed');
    expectError(await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'moderator', sites: ['Not A Site'] }), 400, 'validation_failed');
    expect(await roleOf(target.id)).toBe('reader');

    await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'moderator', sites: ['gazette', 'gazette'] }).expect(200);
    const login = await request(t.app).post('/auth/login').send({ email: target.email, password: target.password }).expect(200);
    expect(jwt.decode(login.body.accessToken)).toMatchObject({ role: 'moderator', sites: ['gazette'] });
    expect(login.body.user.sites).toEqual(['gazette']);

    // Back to reader: the sites go with the role.
    await request(t.app).put(`/auth/users/${target.id}/role`).set(bearer(admin.token)).send({ role: 'reader' }).expect(200);
    const reader = await request(t.app).post('/auth/login').send({ email: target.email, password: target.password }).expect(200);
    expect(jwt.decode(reader.body.accessToken)).not.toHaveProperty('sites');
    expect(reader.body.user.sites).toEqual([]);
  });
});

