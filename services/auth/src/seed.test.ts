import request from 'supertest';
import { seedDemoAccounts, demoAccounts, demoTotpSecret } from './seed';
import { authenticatorApp } from './second-factor/test-codes';
import { totpStep } from './second-factor/totp';
import { startTestAuth, type TestAuth } from './test-support';

let auth: TestAuth;
beforeAll(async () => {
  auth = await startTestAuth();
});
afterAll(() => auth.close());

describe('seedDemoAccounts', () => {
  it('creates the demo reader, moderator and admin once, however often it runs', async () => {
    await seedDemoAccounts(auth.database.source);
    await seedDemoAccounts(auth.database.source);

    const rows = await auth.db
      .selectFrom('users')
      .select(['email', 'role', 'display_name'])
      .where('email_normalized', 'in', demoAccounts.map((account) => account.email))
      .orderBy('email')
      .execute();
    expect(rows).toEqual([
      { email: 'admin@example.com', role: 'admin', display_name: 'Demo Admin' },
      { email: 'moderator@example.com', role: 'moderator', display_name: 'Demo Moderator' },
      { email: 'reader@example.com', role: 'reader', display_name: 'Demo Reader' },
    ]);
  });

  it('makes accounts that can log in with the documented password', async () => {
    await seedDemoAccounts(auth.database.source);
    for (const account of demoAccounts) {
      const response = await request(auth.app).post('/auth/login').send({ email: account.email, password: 'parley-demo' });
      expect(response.status).toBe(200);
      // Demo addresses get no mail: they count as confirmed, so a site requiring that still lets them post.
      expect(response.body.user).toMatchObject({ email: account.email, role: account.role, displayName: account.displayName, emailVerified: true });
      expect(JSON.parse(Buffer.from(response.body.accessToken.split('.')[1], 'base64url').toString())).toMatchObject({ email_verified: true });
      // The demo staff are enrolled with the printed secret: the password alone is a participant session.
      expect(response.body.secondFactor).toBe(account.role === 'reader' ? undefined : 'required');
    }
  });

  it('enrols the demo staff with the printed authenticator secret, so the console works at once', async () => {
    await seedDemoAccounts(auth.database.source);
    // The run's database is shared: another file may have used this time step of the demo admin already.
    const factor = await auth.db.selectFrom('second_factors').innerJoin('users', 'users.id', 'second_factors.user_id').select('last_used_step').where('users.email_normalized', '=', 'admin@example.com').executeTakeFirstOrThrow();
    const lastUsed = Number(factor.last_used_step ?? 0);
    if (lastUsed >= totpStep(auth.clock())) auth.clock.advance((lastUsed - totpStep(auth.clock()) + 1) * 30);
    const app = authenticatorApp(demoTotpSecret, auth.clock);
    const response = await request(auth.app).post('/auth/login').send({ email: 'admin@example.com', password: 'parley-demo', code: await app.next() }).expect(200);
    expect(response.body.secondFactor).toBeUndefined();
    expect(JSON.parse(Buffer.from(response.body.accessToken.split('.')[1], 'base64url').toString())).toMatchObject({ scope: 'staff' });
  });
});
