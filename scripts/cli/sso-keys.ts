import { userInfo } from 'node:os';
import type { SsoKey } from '@parley/contracts';
import { runSsoKeysCommand, ssoKeysAdminOn, type SsoKeysAnswer, type SsoKeysCommand } from '@parley/auth';
import { silentLogger } from '@parley/platform';
import type { Output } from './commands';
import { callRunning, openTarget } from './control';
import { siteDirectoryOn } from './site-directory';

export const keysHelp = `Usage: pnpm parley sites keys ID [list | add [--kid KID] [--jwks URL] | remove KID] [--json]

A site's sign-on (SSO) keys, as in docs/publishers.md:
  list                 the keys (kid, kind, JWKS URL, created); never a secret
  add                  a new HS256 secret, printed ONCE: store it in your server's secrets now
  add --jwks URL       your own RS256/ES256 keys published at an https URL (fetched and checked now)
  remove KID           tokens signed with it are refused from now on
Rotate without downtime: add the new key, switch your server to it, remove the old one.
`;

const describeKey = (key: SsoKey) => `  ${key.kid}  ${key.kind}${key.jwksUrl ? `  ${key.jwksUrl}` : ''}  created ${key.createdAt}`;

/** `sites keys ID …`: the command for one site's keys; the answer's text, or an Error with the reason. */
export async function runKeysCommand(site: string, args: string[], output: Output): Promise<number> {
  const [action = 'list', ...rest] = args.filter((arg) => arg !== '--json');
  const option = (name: string) => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  let command: SsoKeysCommand;
  if (action === 'list') command = { op: 'list', site };
  else if (action === 'add') {
    const kid = option('--kid');
    const jwksUrl = option('--jwks');
    command = { op: 'add', site, key: jwksUrl ? { kind: 'jwks', jwksUrl, ...(kid ? { kid } : {}) } : { kind: 'secret', ...(kid ? { kid } : {}) } };
  } else if (action === 'remove' && rest[0] && !rest[0].startsWith('--')) command = { op: 'remove', site, kid: rest[0] };
  else throw Object.assign(new Error(action === 'remove' ? 'sites keys ID remove needs the KID' : `unknown sites keys command "${action}"`), { usage: true });

  const actor = `command line (${userInfo().username})`;
  const target = await openTarget(process.env);
  let answer: SsoKeysAnswer;
  if (target.kind === 'running') {
    answer = await callRunning<SsoKeysAnswer>(`${target.control.authUrl}/internal/control/sso-keys`, target.control.token, { actor, command });
  } else {
    const { sites, close: closeSites } = siteDirectoryOn(target.source);
    const keys = ssoKeysAdminOn(target.source, sites);
    try {
      answer = await runSsoKeysCommand(keys.service, actor, command, silentLogger());
    } finally {
      await keys.close();
      await closeSites();
      await target.close();
    }
  }

  if (args.includes('--json')) output.out(`${JSON.stringify(answer, null, 2)}\n`);
  else if ('keys' in answer) output.out(answer.keys.length > 0 ? `${site}'s sign-on keys:\n${answer.keys.map(describeKey).join('\n')}\n` : `${site} has no sign-on keys yet: pnpm parley sites keys ${site} add\n`);
  else if ('removed' in answer) output.out(`Removed ${answer.removed}: tokens signed with it are refused from now on.\n`);
  else {
    output.out(`Added:\n${describeKey(answer.key)}\n`);
    if (answer.secret) output.out(`\nSecret (shown this once; Parley keeps no copy it can show again):\n  ${answer.secret}\n`);
  }
  return 0;
}
