import type { AdminSite, CreateSiteRequest, SiteSettings, UpdateSiteRequest, Viewer } from '@parley/contracts';
import { conflict, notFound } from '@parley/platform';
import type { ServiceContext } from '../context';
import type { SiteRow } from '../database/tables';
import { assertModerates, sitesInView } from '../moderation/site-scope';
import { insertModerationAction } from '../moderation/moderation-log.repository';
import { findSite, insertSiteIfNew, listSites, lockSite, updateSite } from './sites.repository';

export type SitesAdminService = ReturnType<typeof sitesAdminService>;

/** Who changed a site: a signed-in admin, or the command line on the server. */
export type SiteAdmin = Pick<Viewer, 'id' | 'name'>;

export const presentAdminSite = (row: SiteRow): AdminSite => ({
  id: row.id,
  name: row.name,
  origins: row.allowed_origins,
  settings: row.settings,
  createdAt: row.created_at.toISOString(),
});

const siteNotFound = (id: string) => notFound('site_not_found', `There is no site "${id}".`);

/** Applies a settings patch: keys sent replace, keys sent as null go back to the default. */
function mergeSettings(current: SiteSettings, patch: UpdateSiteRequest['settings']): SiteSettings {
  const merged: Record<string, unknown> = { ...current };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null) delete merged[key];
    else if (value !== undefined) merged[key] = value;
  }
  return merged as SiteSettings;
}

/** Only what changed, for the log: `{ name: { from, to } }`. */
function changes(before: AdminSite, after: AdminSite): Record<string, { from: unknown; to: unknown }> {
  const diff: Record<string, { from: unknown; to: unknown }> = {};
  if (before.name !== after.name) diff.name = { from: before.name, to: after.name };
  if (JSON.stringify(before.origins) !== JSON.stringify(after.origins)) diff.origins = { from: before.origins, to: after.origins };
  const keys = new Set([...Object.keys(before.settings), ...Object.keys(after.settings)]) as Set<keyof SiteSettings>;
  for (const key of keys) {
    if (JSON.stringify(before.settings[key]) !== JSON.stringify(after.settings[key])) {
      diff[`settings.${key}`] = { from: before.settings[key] ?? null, to: after.settings[key] ?? null };
    }
  }
  return diff;
}

/**
 * Site administration: the REST routes, the console and `pnpm parley sites` all call this, so the
 * rules (validated, normalised origins; an id taken once; every change in the moderation log) are
 * the same whichever form an admin uses. The gateway learns new origins within its
 * allowed-origins refresh (30 s by default).
 */
export function sitesAdminService({ db, clock }: ServiceContext) {
  return {
    /** The sites a staff viewer may see: every site for admins, their own for moderators. */
    async list(viewer: Viewer | 'system'): Promise<AdminSite[]> {
      const ids = viewer === 'system' ? undefined : sitesInView(viewer, undefined);
      return (await listSites(db, ids)).map(presentAdminSite);
    },

    async show(viewer: Viewer | 'system', id: string): Promise<AdminSite> {
      const row = await findSite(db, id);
      if (!row) throw siteNotFound(id);
      if (viewer !== 'system') assertModerates(viewer, row.id);
      return presentAdminSite(row);
    },

    async create(admin: SiteAdmin, input: CreateSiteRequest): Promise<AdminSite> {
      return db.transaction().execute(async (trx) => {
        const row = await insertSiteIfNew(trx, { id: input.id, name: input.name, origins: input.origins, settings: input.settings });
        if (!row) throw conflict('site_exists', `A site "${input.id}" exists already; choose another id, or change that site.`);
        const site = presentAdminSite(row);
        await insertModerationAction(trx, {
          moderator: admin,
          action: 'site.create',
          target: { type: 'site', id: site.id },
          siteId: site.id,
          details: { after: { name: site.name, origins: site.origins, settings: site.settings } },
          at: clock(),
        });
        return site;
      });
    },

    async update(admin: SiteAdmin, id: string, input: UpdateSiteRequest): Promise<AdminSite> {
      return db.transaction().execute(async (trx) => {
        const row = await lockSite(trx, id);
        if (!row) throw siteNotFound(id);
        const before = presentAdminSite(row);
        const updated = presentAdminSite(
          await updateSite(trx, id, {
            name: input.name ?? row.name,
            origins: input.origins ?? row.allowed_origins,
            settings: mergeSettings(row.settings, input.settings),
          }),
        );
        const diff = changes(before, updated);
        if (Object.keys(diff).length > 0) {
          await insertModerationAction(trx, { moderator: admin, action: 'site.update', target: { type: 'site', id }, siteId: id, details: { changes: diff }, at: clock() });
        }
        return updated;
      });
    },
  };
}
