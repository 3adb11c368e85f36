import express from 'express';
import { z } from 'zod';
import { CreateSiteRequest, SiteId, UpdateSiteRequest } from '@parley/contracts';
import { connect, type DatabaseSource } from '@parley/db';
import { requireControlToken, toFieldIssues, validationFailed } from '@parley/platform';
import type { ServiceContext } from '../context';
import { loadCommentsConfig } from '../config';
import { schema } from '../database';
import type { CommentsDatabase } from '../database/tables';
import { deferredPublisher } from '../events/event-publisher';
import { sitesAdminService, type SiteAdmin, type SitesAdminService } from './sites-admin.service';

/**
 * `pnpm parley sites …` on the server. With a database it can open itself (DATABASE_URL, or an
 * embedded folder no Parley has open) it uses the service directly; while an embedded Parley holds
 * the database, it asks that Parley through `/internal/control/sites/*`, guarded by the control
 * token the launcher keeps in the data folder. Either way the same service applies the same rules.
 */

export const SitesCommand = z.discriminatedUnion('op', [
  z.strictObject({ op: z.literal('list') }),
  z.strictObject({ op: z.literal('show'), id: SiteId }),
  z.strictObject({ op: z.literal('add'), site: CreateSiteRequest }),
  z.strictObject({ op: z.literal('set'), id: SiteId, change: UpdateSiteRequest }),
]);
export type SitesCommand = z.input<typeof SitesCommand>;

export async function runSitesCommand(service: SitesAdminService, actor: SiteAdmin, raw: unknown): Promise<unknown> {
  const parsed = SitesCommand.safeParse(raw);
  if (!parsed.success) throw validationFailed(toFieldIssues(parsed.error));
  const command = parsed.data;
  switch (command.op) {
    case 'list':
      return { sites: await service.list('system') };
    case 'show':
      return { site: await service.show('system', command.id) };
    case 'add':
      return { site: await service.create(actor, command.site) };
    case 'set':
      return { site: await service.update(actor, command.id, command.change) };
  }
}

/** The sites service on a database of the caller's own (the command line), closed by `close`. */
export function sitesAdminOn(database: DatabaseSource): { service: SitesAdminService; close(): Promise<void> } {
  const connection = connect<CommentsDatabase>(database);
  const context: ServiceContext = { db: connection.withSchema(schema), clock: () => new Date(), config: loadCommentsConfig({}), publisher: deferredPublisher() };
  return { service: sitesAdminService(context), close: () => connection.destroy() };
}

/** `POST /internal/control/sites` for the local command line; mounted only when the launcher set a control token. */
export function sitesControlRoutes(service: SitesAdminService, controlToken: string): express.Router {
  const router = express.Router();
  router.post('/control/sites', requireControlToken(controlToken), async (req, res) => {
    const actor = z.object({ actor: z.string().min(1).max(100) }).safeParse(req.body);
    res.json(await runSitesCommand(service, { id: 'cli', name: actor.success ? actor.data.actor : 'command line' }, req.body?.command));
  });
  return router;
}
