import { userInfo } from 'node:os';
import type { AdminSite } from '@parley/contracts';
import { runSitesCommand, sitesAdminOn, type SitesCommand } from '@parley/comments';
import type { Command, Output } from './commands';
import { oidcHelp, runOidcSiteCommand } from './sites-oidc';
import { keysHelp, runKeysCommand } from './sso-keys';
import { callRunning, openTarget } from './control';

const help = `Usage: pnpm parley sites <list | show ID | add ID | set ID | keys ID | oidc ID> [options]

  list                          every site
  show ID                       one site with its settings
  add ID --name NAME [--origin URL]... [--set KEY=VALUE]...
  set ID [--name NAME] [--origin URL]... [--add-origin URL]... [--remove-origin URL]...
         [--set KEY=VALUE]... [--unset KEY]...

  --origin replaces the site's origins; --add-origin / --remove-origin change one.
  KEY is a site setting: premoderation (true|false), premoderateFirstComments (hold a newcomer's
  first N comments), editWindowSeconds, reportsToPending,
  autoCloseAfterDays, removalReasons (a JSON list), guidelinesUrl, ownAccounts (true|false),
  loginUrl, logoutUrl, requireVerifiedEmail (true|false: posting waits for a confirmed email). VALUE is read as JSON when it parses (true, 600, ["Spam"]), else as text.
  --json prints the answer as JSON.

  keys ID [list | add [--kid KID] [--jwks URL] | remove KID]
                                the site's sign-on (SSO) keys; pnpm parley sites keys --help
  oidc ID [show | set --issuer URL --client-id ID --label TEXT [--scopes S] | remove]
                                the site's OpenID Connect provider; pnpm parley sites oidc --help

Works with DATABASE_URL, on the embedded database, and while pnpm start is running. Every
change lands in the moderation log under "command line (<your user name>)".

  pnpm parley sites add gazette --name "The Gazette" --origin https://www.gazette.example
  pnpm parley sites set gazette --set premoderation=true --set editWindowSeconds=600
  pnpm parley sites keys gazette add --kid gazette-2026
`;

/** The values of every `--name VALUE` in args. */
const all = (args: string[], name: string) => args.flatMap((arg, at) => (arg === name && args[at + 1] !== undefined ? [args[at + 1]!] : []));
const one = (args: string[], name: string) => all(args, name).at(-1);

function settingsFrom(args: string[]): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const pair of all(args, '--set')) {
    const at = pair.indexOf('=');
    if (at <= 0) throw new Error(`--set takes KEY=VALUE, not "${pair}"`);
    const raw = pair.slice(at + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // Plain text (a url, a word): kept as it is.
    }
    settings[pair.slice(0, at)] = value;
  }
  for (const key of all(args, '--unset')) settings[key] = null;
  return settings;
}

function describe(site: AdminSite): string {
  const settings = Object.entries(site.settings).map(([key, value]) => `    ${key}: ${JSON.stringify(value)}`);
  return [
    `${site.id}  ${site.name}`,
    `  origins:  ${site.origins.length > 0 ? site.origins.join(', ') : '(none: no page can embed it yet)'}`,
    `  created:  ${site.createdAt}`,
    `  settings:${settings.length > 0 ? `\n${settings.join('\n')}` : ' (defaults)'}`,
  ].join('\n');
}

export const sites: Command = {
  summary: 'add, list, show and change sites (sites add ID --name … --origin …)',
  async run(args, output) {
    const [action, id, ...rest] = args;
    if (action === 'keys' && (args.includes('--help') || args.includes('-h'))) {
      output.out(keysHelp);
      return 0;
    }
    if (action === 'oidc' && (args.includes('--help') || args.includes('-h'))) {
      output.out(oidcHelp);
      return 0;
    }
    if (action === undefined || args.includes('--help') || args.includes('-h')) {
      (action === undefined ? output.err : output.out)(help);
      return action === undefined ? 2 : 0;
    }
    if (action === 'keys' && id && !id.startsWith('--')) return await failureReported(() => runKeysCommand(id, rest, output), output);
    if (action === 'oidc' && id && !id.startsWith('--')) return await failureReported(() => runOidcSiteCommand(id, rest, output), output);
    const json = args.includes('--json');
    let target: Awaited<ReturnType<typeof openTarget>> | undefined;
    try {
      target = await openTarget(process.env);
      const opened = target.kind === 'database' ? sitesAdminOn(target.source) : undefined;
      const actor = `command line (${userInfo().username})`;
      const call = async (command: SitesCommand) =>
        target!.kind === 'running'
          ? callRunning<Record<string, unknown>>(`${target!.control.commentsUrl}/internal/control/sites`, target!.control.token, { actor, command })
          : ((await runSitesCommand(opened!.service, { id: 'cli', name: actor }, command)) as Record<string, unknown>);
      try {
        let answer: Record<string, unknown>;
        if (action === 'list') answer = await call({ op: 'list' });
        else if (!id || id.startsWith('--')) throw Object.assign(new Error(`sites ${action} needs a site id`), { usage: true });
        else if (action === 'show') answer = await call({ op: 'show', id });
        else if (action === 'add') {
          const name = one(rest, '--name');
          if (!name) throw Object.assign(new Error('sites add needs --name'), { usage: true });
          answer = await call({ op: 'add', site: { id, name, origins: all(rest, '--origin'), settings: settingsFrom(rest) as never } });
        } else if (action === 'set') {
          const change: Record<string, unknown> = {};
          const name = one(rest, '--name');
          if (name) change.name = name;
          const replaced = all(rest, '--origin');
          const added = all(rest, '--add-origin');
          const removed = new Set(all(rest, '--remove-origin').map((origin) => origin.replace(/\/$/, '').toLowerCase()));
          if (replaced.length > 0 || added.length > 0 || removed.size > 0) {
            const current = replaced.length > 0 ? replaced : ((await call({ op: 'show', id })).site as AdminSite).origins;
            change.origins = [...current, ...added].filter((origin) => !removed.has(origin.replace(/\/$/, '').toLowerCase()));
          }
          const settings = settingsFrom(rest);
          if (Object.keys(settings).length > 0) change.settings = settings;
          answer = await call({ op: 'set', id, change: change as never });
        } else throw Object.assign(new Error(`unknown sites command "${action}"`), { usage: true });

        if (json) output.out(`${JSON.stringify(answer, null, 2)}\n`);
        else if (Array.isArray(answer.sites)) output.out(`${(answer.sites as AdminSite[]).map(describe).join('\n\n') || 'No sites yet: pnpm parley sites add ID --name NAME --origin URL'}\n`);
        else output.out(`${action === 'add' ? 'Added' : action === 'set' ? 'Changed' : 'Site'}:\n${describe(answer.site as AdminSite)}\n`);
        return 0;
      } finally {
        await opened?.close();
        if (target.kind === 'database') await target.close();
      }
    } catch (error) {
      return reportFailure(error, output);
    }
  },
};

/** A usage mistake (2) or a refusal with its reason (1); nothing was changed either way. */
function reportFailure(error: unknown, output: Output): number {
  if ((error as { usage?: boolean }).usage) {
    output.err(`parley sites: ${(error as Error).message}; pnpm parley sites --help has the details.\n`);
    return 2;
  }
  const details = (error as { details?: { field: string; message: string }[] }).details;
  const why = Array.isArray(details) && details.length > 0 ? details.map((d) => `${d.field} ${d.message}`).join('; ') : (error as Error).message;
  output.err(`Nothing changed: ${why}.\n`);
  return 1;
}

async function failureReported(run: () => Promise<number>, output: Output): Promise<number> {
  try {
    return await run();
  } catch (error) {
    return reportFailure(error, output);
  }
}
