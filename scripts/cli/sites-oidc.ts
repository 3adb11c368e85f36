import { userInfo } from 'node:os';
import type { OidcProvider } from '@parley/contracts';
import { commandLineRedirectUri, oidcAdminOn, runOidcCommand, type OidcAnswer, type OidcCommand } from '@parley/auth';
import { silentLogger } from '@parley/platform';
import type { Output } from './commands';
import { callRunning, openTarget } from './control';
import { siteDirectoryOn } from './site-directory';

export const oidcHelp = `Usage: pnpm parley sites oidc ID [show | set --issuer URL --client-id ID --label TEXT [--scopes "openid profile email"] | remove] [--json]

A site's OpenID Connect provider ("Log in with Gazette ID" in the widget), as in docs/publishers.md:
  show        the provider (issuer, client id, scopes, label, the redirect URI to register); never the secret
  set         checks the provider's discovery document, then stores it. The client secret is read from
              the PARLEY_OIDC_CLIENT_SECRET environment variable (never an argument: it would show in
              the process list); required the first time, kept when left out later
  remove      the widget stops offering the login
`;

const describe = (provider: OidcProvider) =>
  [
    `  issuer        ${provider.issuer}`,
    `  client id     ${provider.clientId}`,
    `  scopes        ${provider.scopes}`,
    `  label         ${provider.label}`,
    `  redirect URI  ${provider.redirectUri}   (register this at the provider)`,
    `  algorithms    ${provider.algorithms.join(', ') || '(provider unreachable just now)'}`,
  ].join('\n');

/** `sites oidc ID …`: the command for one site's provider. */
export async function runOidcSiteCommand(site: string, args: string[], output: Output): Promise<number> {
  const [action = 'show', ...rest] = args.filter((arg) => arg !== '--json');
  const option = (name: string) => {
    const at = rest.indexOf(name);
    return at >= 0 ? rest[at + 1] : undefined;
  };
  let command: OidcCommand;
  if (action === 'show') command = { op: 'show', site };
  else if (action === 'remove') command = { op: 'remove', site };
  else if (action === 'set') {
    const secret = process.env.PARLEY_OIDC_CLIENT_SECRET;
    const scopes = option('--scopes');
    command = {
      op: 'set',
      site,
      provider: {
        issuer: option('--issuer') ?? '',
        clientId: option('--client-id') ?? '',
        label: option('--label') ?? '',
        ...(secret ? { clientSecret: secret } : {}),
        ...(scopes ? { scopes } : {}),
      },
    };
  } else throw Object.assign(new Error(`unknown sites oidc command "${action}"`), { usage: true });

  const actor = `command line (${userInfo().username})`;
  const target = await openTarget(process.env);
  let answer: OidcAnswer;
  if (target.kind === 'running') {
    answer = await callRunning<OidcAnswer>(`${target.control.authUrl}/internal/control/oidc`, target.control.token, { actor, command });
  } else {
    const { sites, close: closeSites } = siteDirectoryOn(target.source);
    const providers = oidcAdminOn(target.source, sites);
    try {
      answer = await runOidcCommand(providers.service, actor, command, commandLineRedirectUri(process.env.PUBLIC_URL), silentLogger());
    } finally {
      await providers.close();
      await closeSites();
      await target.close();
    }
  }

  if (args.includes('--json')) output.out(`${JSON.stringify(answer, null, 2)}\n`);
  else if ('removed' in answer) output.out(`${site} no longer offers login with its identity provider.\n`);
  else output.out(`${site}'s identity provider:\n${describe(answer.provider)}\n`);
  return 0;
}
