import express from 'express';
import { renderCaughtMailPage, type MailCatcher } from '@parley/mail';

/**
 * `/dev/mail` (and `/dev/mail.json`): the mail `pnpm start` caught because no SMTP server is
 * configured. Mounted only when the embedded stack hands the gateway its catcher; a gateway of its
 * own (production) has none and answers 404 there.
 */
export function devMailRoutes(catcher: MailCatcher): express.Router {
  const router = express.Router();
  // The HTML part is shown in a sandboxed frame (srcdoc): no script runs, its styles stay inside.
  const policy = "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'; img-src 'self' data:; frame-ancestors 'none'";
  router.get('/dev/mail', (_req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Content-Security-Policy': policy }).type('html').send(renderCaughtMailPage(catcher.messages()));
  });
  router.get('/dev/mail.json', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ messages: catcher.messages() });
  });
  return router;
}
