import express from 'express';
import { z } from 'zod';
import { CreateSsoKeyRequest, SiteId, SsoKid, type SsoKey, type SsoKeyCreated } from '@parley/contracts';
import { connect, type DatabaseSource } from '@parley/db';
import { requireControlToken, toFieldIssues, validationFailed, type Logger } from '@parley/platform';
import { schema } from '../database';
import type { AuthDatabase } from '../database/tables';
import type { SiteDirectory } from './site-directory';
import { ssoKeysService, type SsoKeysService } from './sso-keys.service';

/**
 * `pnpm parley sites keys …` on the server: the same service, rules and audit entries as the
 * admin API (`/auth/admin/sites/:site/sso-keys`), for an operator at the server's shell. With a
 * database the command can open itself it calls the service directly; while an embedded Parley
 * holds the database it asks that Parley at `/internal/control/sso-keys`, behind the control token.
 */

export const SsoKeysCommand = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('list'), site: SiteId }),
  z.strictObject({ op: z.literal('add'), site: SiteId, key: CreateSsoKeyRequest }),
  z.strictObject({ op: z.literal('remove'), site: SiteId, kid: SsoKid }),
]);
export type SsoKeysCommand = z.input<typeof SsoKeysCommand>;
export type SsoKeysAnswer = { keys: SsoKey[] } | SsoKeyCreated | { removed: string };

/** Runs one command; `actor` is who the audit log names (e.g. "command line (ops)"). */
export async function runSsoKeysCommand(service: SsoKeysService, actor: string, raw: unknown, log: Logger): Promise<SsoKeysAnswer> {
  const parsed = SsoKeysCommand.safeParse(raw);
  if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
  const command = parsed.data;
  switch (command.op) {
    case 'list':
      return { keys: await service.list(command.site) };
    case 'add':
      return service.create({ commandLine: actor }, command.site, command.key, log);
    case 'remove':
      await service.remove({ commandLine: actor }, command.site, command.kid, log);
      return { removed: command.kid };
  }
}

/** The keys service on a database of the caller's own (the command line), closed by `close`. */
export function ssoKeysAdminOn(database: DatabaseSource, sites: SiteDirectory): { service: SsoKeysService; close(): Promise<void> } {
  const connection = connect<AuthDatabase>(database);
  return { service: ssoKeysService({ db: connection.withSchema(schema), sites, clock: () => new Date() }), close: () => connection.destroy() };
}

/** `POST /internal/control/sso-keys` for the local command line; mounted only when the launcher set a control token. */
export function ssoKeysControlRoutes(service: SsoKeysService, controlToken: string): express.Router {
  const router = express.Router();
  router.post('/control/sso-keys', requireControlToken(controlToken), async (req, res) => {
    const actor = z.object({ actor: z.string().min(1).max(100) }).safeParse(req.body);
    const answer = await runSsoKeysCommand(service, actor.success ? actor.data.actor : 'command line', req.body?.command, req.log);
    res.status('key' in answer ? 201 : 200).json(answer);
  });
  return router;
}
