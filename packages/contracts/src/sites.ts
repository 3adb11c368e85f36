import { z } from 'zod';
import { SiteId, SiteSettings } from './comments';

/**
 * Site administration (admins, on Parley's origin; the console, `/api/admin/sites` and
 * `pnpm parley sites …` are three forms of the same operations).
 */

/**
 * An origin a site's pages are served from, normalised to `scheme://host[:port]` (lower-case, no
 * default port). Anything with a path, query, credentials or another scheme is refused rather
 * than guessed at: CORS and the live stream compare origins exactly.
 */
export const SiteOrigin = z
  .string()
  .trim()
  .max(300, 'must be at most 300 characters')
  .transform((value, ctx) => {
    const refuse = () => {
      ctx.addIssue({ code: 'custom', message: `must be an origin like https://news.example.com (scheme and host, no path): "${value}" is not` });
      return z.NEVER;
    };
    if (!URL.canParse(value)) return refuse();
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return refuse();
    if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return refuse();
    return url.origin;
  });

export const SiteName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const origins = z.array(SiteOrigin).max(50, 'must be at most 50 origins').transform((list) => [...new Set(list)]);

export const CreateSiteRequest = z.strictObject({
  id: SiteId,
  name: SiteName,
  origins: origins.default([]),
  settings: SiteSettings.default({}),
});
export type CreateSiteRequest = z.infer<typeof CreateSiteRequest>;

/** Settings keys sent are replaced; a key sent as null goes back to the default. */
export const SiteSettingsPatch = z.strictObject(
  Object.fromEntries(Object.entries(SiteSettings.shape).map(([key, schema]) => [key, (schema as z.ZodOptional<z.ZodType>).unwrap().nullable().optional()])),
) as unknown as z.ZodType<{ [K in keyof SiteSettings]?: SiteSettings[K] | null }>;

export const UpdateSiteRequest = z
  .strictObject({ name: SiteName.optional(), origins: origins.optional(), settings: SiteSettingsPatch.optional() })
  .refine((input) => input.name !== undefined || input.origins !== undefined || input.settings !== undefined, {
    path: ['body'],
    message: 'must change name, origins or settings',
  });
export type UpdateSiteRequest = z.infer<typeof UpdateSiteRequest>;

export const AdminSite = z.object({
  id: SiteId,
  name: z.string(),
  origins: z.array(z.string()),
  settings: SiteSettings,
  createdAt: z.iso.datetime(),
});
export type AdminSite = z.infer<typeof AdminSite>;

export const AdminSiteResponse = z.object({ site: AdminSite });
export type AdminSiteResponse = z.infer<typeof AdminSiteResponse>;
export const AdminSitesResponse = z.object({ sites: z.array(AdminSite) });
export type AdminSitesResponse = z.infer<typeof AdminSitesResponse>;
