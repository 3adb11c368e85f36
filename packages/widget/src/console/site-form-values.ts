import type { AdminSite, CreateSiteRequest, FieldIssue, SiteSettings, UpdateSiteRequest } from '@parley/contracts';

/**
 * The site form without the DOM: what its fields hold (all text, so an empty field can mean "the
 * default"), the request a save sends (an edit sends only what changed), and which field a
 * server's `details[].field` is about.
 */

type Kind = 'choice' | 'number' | 'lines' | 'text';

/** Every setting the form edits and how its field holds it; `satisfies` makes a new setting a type error here. */
export const settingKinds = {
  premoderation: 'choice',
  premoderateFirstComments: 'number',
  editWindowSeconds: 'number',
  reportsToPending: 'number',
  autoCloseAfterDays: 'number',
  removalReasons: 'lines',
  guidelinesUrl: 'text',
  ownAccounts: 'choice',
  loginUrl: 'text',
  logoutUrl: 'text',
  requireVerifiedEmail: 'choice',
} as const satisfies Record<keyof SiteSettings, Kind>;

export type SettingKey = keyof typeof settingKinds;
export const settingKeys = Object.keys(settingKinds) as SettingKey[];

/** The form's fields by name; a choice (yes/no select) holds '' for "the default", 'true' or 'false'. */
export type SiteFormValues = { id: string; name: string; origins: string } & Record<SettingKey, string>;
export type FieldName = keyof SiteFormValues;

/** One entry per non-empty line, trimmed. */
export const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);

/** The fields prefilled with what is stored (or empty, for a new site). */
export function formValues(site?: AdminSite): SiteFormValues {
  const settings: Record<string, unknown> = site?.settings ?? {};
  const values = { id: site?.id ?? '', name: site?.name ?? '', origins: (site?.origins ?? []).join('\n') } as SiteFormValues;
  for (const key of settingKeys) {
    const stored = settings[key];
    values[key] = stored === undefined ? '' : Array.isArray(stored) ? stored.join('\n') : String(stored);
  }
  return values;
}

type Parsed = { ok: true; value: unknown } | { ok: false; message: string };

function parseSetting(key: SettingKey, text: string): Parsed {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, value: undefined };
  switch (settingKinds[key] as Kind) {
    case 'choice':
      return { ok: true, value: trimmed === 'true' };
    case 'number': {
      // Range and whole-number checks are the server's (its messages are shown); only non-numbers stop here.
      const value = Number(trimmed);
      return Number.isNaN(value) ? { ok: false, message: 'must be a number' } : { ok: true, value };
    }
    case 'lines': {
      const entries = lines(text);
      return { ok: true, value: entries.length > 0 ? entries : undefined };
    }
    case 'text':
      return { ok: true, value: trimmed };
  }
}

/** The settings the form names (left-out keys: the default), or the fields that are not even numbers. */
function parseSettings(values: SiteFormValues): { settings: Record<string, unknown>; issues: FieldIssue[] } {
  const settings: Record<string, unknown> = {};
  const issues: FieldIssue[] = [];
  for (const key of settingKeys) {
    const parsed = parseSetting(key, values[key]);
    if (!parsed.ok) issues.push({ field: `settings.${key}`, message: parsed.message });
    else if (parsed.value !== undefined) settings[key] = parsed.value;
  }
  return { settings, issues };
}

export type Outcome<T> = { request: T; issues: [] } | { request: undefined; issues: FieldIssue[] };

/** A new site: everything the form holds. */
export function createRequest(values: SiteFormValues): Outcome<CreateSiteRequest> {
  const { settings, issues } = parseSettings(values);
  if (issues.length > 0) return { request: undefined, issues };
  return { request: { id: values.id.trim(), name: values.name.trim(), origins: lines(values.origins), settings: settings as SiteSettings }, issues: [] };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * A change to `stored`: only the name, origins and settings keys that differ; a setting emptied
 * is sent as null (back to the default). `request` is null when nothing changed.
 */
export function updateRequest(stored: AdminSite, values: SiteFormValues): Outcome<UpdateSiteRequest | null> {
  const { settings, issues } = parseSettings(values);
  if (issues.length > 0) return { request: undefined, issues };
  const request: { name?: string; origins?: string[]; settings?: Record<string, unknown> } = {};
  const name = values.name.trim();
  if (name !== stored.name) request.name = name;
  const origins = lines(values.origins);
  if (!same(origins, stored.origins)) request.origins = origins;
  const storedSettings: Record<string, unknown> = stored.settings;
  const patch: Record<string, unknown> = {};
  for (const key of settingKeys) {
    if (!same(settings[key], storedSettings[key])) patch[key] = settings[key] ?? null;
  }
  if (Object.keys(patch).length > 0) request.settings = patch;
  return { request: Object.keys(request).length > 0 ? (request as UpdateSiteRequest) : null, issues: [] };
}

/**
 * Which field a server issue is about and the message to show there: `origins.1` is the origins
 * field, on the line the second origin was typed on; `settings.editWindowSeconds` is that
 * setting's field. Anything else (`body`, an unknown key) belongs to the form as a whole.
 */
export function issueTarget(issue: FieldIssue, values: SiteFormValues): { field: FieldName | 'form'; message: string } {
  const [head, second, third] = issue.field.split('.');
  const setting = head === 'settings' && second !== undefined && second in settingKinds ? (second as SettingKey) : undefined;
  const field: FieldName | undefined = setting ?? (head === 'id' || head === 'name' || head === 'origins' ? head : undefined);
  if (!field) return { field: 'form', message: issue.field === 'body' ? issue.message : `${issue.field}: ${issue.message}` };
  const index = Number(setting ? third : second);
  const line = Number.isInteger(index) ? lineOfEntry(values[field], index) : undefined;
  return { field, message: line === undefined ? issue.message : `Line ${line}: ${issue.message}` };
}

/** The 1-based line of the `index`-th non-empty line of `text` (blank lines are skipped when sending). */
function lineOfEntry(text: string, index: number): number | undefined {
  let seen = -1;
  const all = text.split('\n');
  for (let i = 0; i < all.length; i++) {
    if (all[i]!.trim() && ++seen === index) return i + 1;
  }
  return undefined;
}
