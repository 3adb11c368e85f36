import express from 'express';
import type { Kysely } from 'kysely';
import { ConfirmedAccountsRequest } from '@parley/contracts';
import { toFieldIssues, validationFailed } from '@parley/platform';
import { normalizeEmail } from '../accounts/user';
import type { AuthDatabase } from '../database/tables';

/**
 * `POST /internal/accounts/confirmed` {emails}: the Parley accounts that confirmed these addresses
 * (lowercased), for the comments service to claim authors it imported after the confirmation.
 * Publisher readers have no login email and never match. Under /internal, which the gateway never proxies.
 */
export function internalConfirmedAccountsRoutes(db: Kysely<AuthDatabase>): express.Router {
  const router = express.Router();
  router.post('/accounts/confirmed', async (req, res) => {
    const parsed = ConfirmedAccountsRequest.safeParse(req.body);
    if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
    const rows = await db
      .selectFrom('users')
      .select(['id', 'email_normalized'])
      .where('email_normalized', 'in', [...new Set(parsed.data.emails.map(normalizeEmail))])
      .where('email_verified_at', 'is not', null)
      .where('password_hash', 'is not', null)
      .execute();
    res.set('Cache-Control', 'no-store').json({ accounts: rows.map((row) => ({ email: row.email_normalized!, userId: row.id })) });
  });
  return router;
}
