import express from 'express';
import request from 'supertest';
import { mailCatcher } from '@parley/mail';
import { devMailRoutes } from './dev-mail';

describe('/dev/mail (embedded pnpm start only)', () => {
  it('shows caught mail newest first, with working links and the HTML part sandboxed', async () => {
    const catcher = mailCatcher();
    await catcher.send({ id: 'a1', from: 'Parley <no-reply@localhost>', to: 'ann@example.com', subject: 'First', text: 'Open http://localhost:8080/auth/pages/verify-email?token=abc now', html: '<p>x</p><script>alert(1)</script>', headers: {} });
    await catcher.send({ id: 'b2', from: 'Parley <no-reply@localhost>', to: 'bob@example.com', subject: 'Second <b>', text: 'hi', html: '<p>hi</p>', headers: { 'List-Unsubscribe': '<http://x/u>' } });
    const app = express().use(devMailRoutes(catcher));
    const page = await request(app).get('/dev/mail').expect(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.text.indexOf('data-mail-id="b2"')).toBeLessThan(page.text.indexOf('data-mail-id="a1"'));
    expect(page.text).toContain('<a href="http://localhost:8080/auth/pages/verify-email?token=abc">');
    expect(page.text).toContain('Second &lt;b&gt;');
    expect(page.text).toContain('<iframe sandbox=""');
    expect(page.text).not.toContain('<script>alert(1)</script>');
    const json = await request(app).get('/dev/mail.json').expect(200);
    expect(json.body.messages.map((m: { id: string }) => m.id)).toEqual(['b2', 'a1']);
  });
});
