import request from 'supertest';
import jwt from 'jsonwebtoken';
import { AuthSession, MeResponse, TotpConfirmed, TotpEnrolment } from '@parley/contracts';
import { bearer, enrolAuthenticator, expectError, loginStaff, registerUser, startTestAuth, type TestAuth } from '../test-support';
import { authenticatorApp } from './test-codes';

let t: TestAuth;
beforeAll(async () => (t = await startTestAuth({ env: { SECOND_FACTOR_RATE_LIMIT_PER_ACCOUNT: '4' } })));
afterAll(async () => t.close());

const scopeOf = (token: string) => (jwt.decode(token) as { scope: string }).scope;

async function staffUser(role: 'moderator' | 'admin' = 'moderator') {
  const user = await registerUser(t.app, { displayName: `Desk ${role.length}` });
  await t.db.updateTable('users').set({ role, moderated_sites: role === 'moderator' ? ['*'] : [] }).where('id', '=', user.session.user.id).execute();
  return { ...user, id: user.session.user.id };
}

const login = (body: object) => request(t.app).post('/auth/login').send(body);

describe('POST /auth/second-factor/totp', () => {
  it('requires authentication', async () => {
    expectError(await request(t.app).post('/auth/second-factor/totp'), 401, 'unauthenticated');
    expectError(await request(t.app).post('/auth/second-factor/totp/confirm').send({ code: '123456' }), 401, 'unauthenticated');
  });

  it('enrols a staff account from its password-only session: secret, otpauth URI, QR code, then recovery codes and a staff session', async () => {
    const user = await staffUser();
    const first = AuthSession.parse((await login({ email: user.email, password: user.password }).expect(200)).body);
    expect(first.secondFactor).toBe('enrol');
    expect(scopeOf(first.accessToken)).toBe('participant');
    expect(MeResponse.parse((await request(t.app).get('/auth/me').set(bearer(first.accessToken)).expect(200)).body).secondFactor).toEqual({ totp: false, recoveryCodesLeft: 0 });

    const started = TotpEnrolment.parse((await request(t.app).post('/auth/second-factor/totp').set(bearer(first.accessToken)).expect(200)).body);
    expect(started.otpauthUri).toMatch(new RegExp(`^otpauth://totp/Parley%3A.+\\?secret=${started.secret}&issuer=Parley`));
    expect(started.qrCode).toMatch(/^data:image\/svg\+xml;base64,/);
    const stored = await t.db.selectFrom('second_factors').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.confirmed_at).toBeNull();

    const app = authenticatorApp(started.secret, t.clock);
    expectError(await request(t.app).post('/auth/second-factor/totp/confirm').set(bearer(first.accessToken)).send({ code: '000000' === app.current() ? '111111' : '000000' }), 401, 'invalid_second_factor');
    const confirmed = TotpConfirmed.parse((await request(t.app).post('/auth/second-factor/totp/confirm').set(bearer(first.accessToken)).send({ code: await app.next() }).expect(200)).body);
    expect(confirmed.recoveryCodes).toHaveLength(10);
    expect(new Set(confirmed.recoveryCodes).size).toBe(10);
    expect(scopeOf(confirmed.session!.accessToken)).toBe('staff');
    // The participant session it was made in is over.
    expectError(await request(t.app).get('/auth/me').set(bearer(first.accessToken)), 401, 'session_revoked');
    // Only hashes are kept.
    const hashes = await t.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', user.id).execute();
    expect(hashes.map((row) => row.code_hash)).not.toContain(confirmed.recoveryCodes[0]);
    expect(MeResponse.parse((await request(t.app).get('/auth/me').set(bearer(confirmed.session!.accessToken)).expect(200)).body).secondFactor).toEqual({ totp: true, recoveryCodesLeft: 10 });

    // A confirmed app is not replaced by whoever has the password.
    const again = AuthSession.parse((await login({ email: user.email, password: user.password }).expect(200)).body);
    expect(again.secondFactor).toBe('required');
    expectError(await request(t.app).post('/auth/second-factor/totp').set(bearer(again.accessToken)), 409, 'second_factor_enrolled');
  });

  it('refuses readers, and enrolment from a publisher\'s page', async () => {
    const reader = await registerUser(t.app);
    expectError(await request(t.app).post('/auth/second-factor/totp').set(bearer(reader.session.accessToken)), 403, 'second_factor_staff_only');
    const user = await staffUser();
    const onPage = await request(t.app).post('/auth/login').set('Origin', 'https://news.example').send({ email: user.email, password: user.password }).expect(200);
    expect(onPage.body.secondFactor).toBeUndefined();
    expectError(await request(t.app).post('/auth/second-factor/totp').set('Origin', 'https://news.example').set(bearer(onPage.body.accessToken)), 403, 'staff_session_required');
    expect(await t.db.selectFrom('second_factors').select('user_id').where('user_id', '=', user.id).executeTakeFirst()).toBeUndefined();
  });
});

describe('POST /auth/login with a second factor', () => {
  it('gives a staff account only a participant session without a code, refused by staff routes', async () => {
    const user = await staffUser('admin');
    await enrolAuthenticator(t, user);
    const passwordOnly = AuthSession.parse((await login({ email: user.email, password: user.password }).expect(200)).body);
    expect(passwordOnly.secondFactor).toBe('required');
    expect(scopeOf(passwordOnly.accessToken)).toBe('participant');
    const target = await registerUser(t.app);
    expectError(await request(t.app).get('/auth/users').query({ email: target.email }).set(bearer(passwordOnly.accessToken)), 403, 'staff_session_required');
    expectError(await request(t.app).put(`/auth/users/${target.session.user.id}/role`).set(bearer(passwordOnly.accessToken)).send({ role: 'moderator', sites: ['*'] }), 403, 'staff_session_required');
    expectError(await request(t.app).delete(`/auth/users/${target.session.user.id}/second-factor`).set(bearer(passwordOnly.accessToken)), 403, 'staff_session_required');
  });

  it('opens a staff session with the current code, refuses a wrong one and the same code again', async () => {
    const user = await staffUser();
    const { app } = await enrolAuthenticator(t, user);
    t.clock.advance(30);
    const code = await app.next();
    const wrong = code === '123456' ? '654321' : '123456';
    expectError(await login({ email: user.email, password: user.password, code: wrong }), 401, 'invalid_second_factor');
    const session = AuthSession.parse((await login({ email: user.email, password: user.password, code }).expect(200)).body);
    expect(scopeOf(session.accessToken)).toBe('staff');
    expect(session.secondFactor).toBeUndefined();
    // Replayed within its window (someone watching the screen, or a copied request).
    expectError(await login({ email: user.email, password: user.password, code }), 401, 'invalid_second_factor');
    // A wrong password with a right code is still a wrong password.
    expectError(await login({ email: user.email, password: 'not the password', code: await app.next() }), 401, 'invalid_credentials');
  });

  it('accepts each recovery code once, in place of a code', async () => {
    const user = await staffUser();
    const { recoveryCodes } = await enrolAuthenticator(t, user);
    const [first, second] = recoveryCodes as [string, string];
    const one = AuthSession.parse((await login({ email: user.email, password: user.password, code: first }).expect(200)).body);
    expect(scopeOf(one.accessToken)).toBe('staff');
    expectError(await login({ email: user.email, password: user.password, code: first }), 401, 'invalid_second_factor');
    // Typed without the dash and in capitals, another one still works.
    const two = AuthSession.parse((await login({ email: user.email, password: user.password, code: second.replace('-', '').toUpperCase() }).expect(200)).body);
    expect(scopeOf(two.accessToken)).toBe('staff');
    expect(MeResponse.parse((await request(t.app).get('/auth/me').set(bearer(two.accessToken)).expect(200)).body).secondFactor).toEqual({ totp: true, recoveryCodesLeft: 8 });
  });

  it('limits wrong codes per account: over budget even the right code waits', async () => {
    const user = await staffUser();
    const { app } = await enrolAuthenticator(t, user);
    t.clock.advance(30);
    const right = await app.next();
    const wrong = right === '000000' ? '999999' : '000000';
    for (let attempt = 0; attempt < 4; attempt++) {
      expectError(await request(t.app).post('/auth/login').set('X-Forwarded-For', `198.51.100.${attempt}`).send({ email: user.email, password: user.password, code: wrong }), 401, 'invalid_second_factor');
    }
    const limited = await login({ email: user.email, password: user.password, code: right });
    expectError(limited, 429, 'rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('DELETE /auth/users/:id/second-factor', () => {
  it('requires authentication, an admin, and a staff session', async () => {
    const target = await staffUser();
    await enrolAuthenticator(t, target);
    expectError(await request(t.app).delete(`/auth/users/${target.id}/second-factor`), 401, 'unauthenticated');
    const moderator = await staffUser('moderator');
    expectError(await request(t.app).delete(`/auth/users/${target.id}/second-factor`).set(bearer((await loginStaff(t, moderator)).accessToken)), 403, 'forbidden');
    const admin = await staffUser('admin');
    expectError(await request(t.app).delete(`/auth/users/${admin.id}/second-factor`).set(bearer((await loginStaff(t, admin)).accessToken)), 403, 'forbidden');
    expect(await t.db.selectFrom('second_factors').select('confirmed_at').where('user_id', '=', target.id).executeTakeFirstOrThrow()).toEqual({ confirmed_at: expect.any(Date) });
  });

  it('lets an admin reset another staff member\'s factor: sessions end, audit row written, next sign-in enrols again', async () => {
    const target = await staffUser();
    const targetSession = await loginStaff(t, target);
    const admin = await staffUser('admin');
    const adminSession = await loginStaff(t, admin);
    await request(t.app).delete(`/auth/users/${target.id}/second-factor`).set(bearer(adminSession.accessToken)).expect(204);
    expectError(await request(t.app).get('/auth/me').set(bearer(targetSession.accessToken)), 401, 'session_revoked');
    expect(await t.db.selectFrom('recovery_codes').select('code_hash').where('user_id', '=', target.id).execute()).toEqual([]);
    const audit = await t.db.selectFrom('audit_log').selectAll().where('action', '=', 'second_factor.reset').where('target', '=', target.id).execute();
    expect(audit).toEqual([expect.objectContaining({ actor_id: admin.id, details: { hadFactor: true } })]);
    const next = AuthSession.parse((await login({ email: target.email, password: target.password }).expect(200)).body);
    expect(next.secondFactor).toBe('enrol');
    expectError(await request(t.app).delete('/auth/users/00000000-0000-4000-8000-000000000000/second-factor').set(bearer(adminSession.accessToken)), 404, 'not_found');
  });
});
