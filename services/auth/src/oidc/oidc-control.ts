import express from 'express';
import { z } from 'zod';
import { SetOidcProviderRequest, SiteId, type OidcProvider } from '@parley/contracts';
import { connect, type DatabaseSource } from '@parley/db';
import { requireControlToken, toFieldIssues, validationFailed, type Logger } from '@parley/platform';
import { schema } from '../database';
import type { AuthDatabase } from '../database/tables';
import type { SiteDirectory } from '../sso/site-directory';
import { oidcProvidersService, type OidcProvidersService } from './oidc-providers.service';

/**
 * `pnpm parley sites oidc …` on the server: the same service, checks and audit entries as the admin
 * API (`/auth/admin/sites/:site/oidc`). Directly on a database the command can open, or through a
 * running embedded Parley at `/internal/control/oidc`, behind the control token (like sso-keys-control.ts).
 */
export const OidcCommand = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('show'), site: SiteId }),
  z.strictObject({ op: z.literal('set'), site: SiteId, provider: SetOidcProviderRequest }),
  z.strictObject({ op: z.literal('remove'), site: SiteId }),
]);
export type OidcCommand = z.input<typeof OidcCommand>;
export type OidcAnswer = { provider: OidcProvider } | { removed: string };

/** The redirect URI the provider must know: on the first PUBLIC_URL, else the gateway's default address. */
export const commandLineRedirectUri = (publicUrl: string | undefined) =>
  `${((publicUrl ?? '').split(',').map((value) => value.trim()).find(Boolean) ?? 'http://localhost:8080').replace(/\/+$/, '')}/auth/oidc/callback`;

export async function runOidcCommand(service: OidcProvidersService, actor: string, raw: unknown, redirectUri: string, log: Logger): Promise<OidcAnswer> {
  const parsed = OidcCommand.safeParse(raw);
  if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
  const command = parsed.data;
  switch (command.op) {
    case 'show':
      return { provider: await service.get(command.site, redirectUri) };
    case 'set':
      return { provider: await service.set({ commandLine: actor }, command.site, command.provider, redirectUri, log) };
    case 'remove':
      await service.remove({ commandLine: actor }, command.site, log);
      return { removed: command.site };
  }
}

/** The providers service on a database of the caller's own (the command line), closed by `close`. */
export function oidcAdminOn(database: DatabaseSource, sites: SiteDirectory): { service: OidcProvidersService; close(): Promise<void> } {
  const connection = connect<AuthDatabase>(database);
  return { service: oidcProvidersService({ db: connection.withSchema(schema), sites, clock: () => new Date() }), close: () => connection.destroy() };
}

/** `POST /internal/control/oidc` for the local command line; mounted only when the launcher set a control token. */
export function oidcControlRoutes(service: OidcProvidersService, controlToken: string, redirectUri: string): express.Router {
  const router = express.Router();
  router.post('/control/oidc', requireControlToken(controlToken), async (req, res) => {
    const actor = z.object({ actor: z.string().min(1).max(100) }).safeParse(req.body);
    res.json(await runOidcCommand(service, actor.success ? actor.data.actor : 'command line', req.body?.command, redirectUri, req.log));
  });
  return router;
}
