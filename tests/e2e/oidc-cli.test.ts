import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDatabase, type TestDatabase } from '@parley/db';
import { newControlToken, writeControlFile } from '../../scripts/cli/control';
import { startStack, type Stack } from '../../scripts/stack';
import { startTestProvider, type TestProvider } from '../support/oidc-provider';
import { parley } from './cli-support';

/** `pnpm parley sites oidc …` against a running Parley (its control token) and a real OpenID provider. */
jest.setTimeout(90_000);

let database: TestDatabase;
let stack: Stack;
let dataDir: string;
let provider: TestProvider;

beforeAll(async () => {
  database = await openTestDatabase();
  dataDir = await mkdtemp(join(tmpdir(), 'parley-oidc-cli-'));
  const token = newControlToken();
  [stack, provider] = await Promise.all([
    startStack({ database: database.source, dataDir, ports: { gateway: 0, auth: 0, comments: 0 }, logLevel: 'silent', migrate: true, env: { PARLEY_CONTROL_TOKEN: token } }),
    startTestProvider(),
  ]);
  await writeControlFile(dataDir, { pid: process.pid, token, authUrl: stack.urls.auth, commentsUrl: stack.urls.comments });
});

afterAll(async () => {
  await Promise.all([stack?.stop(), provider?.stop()]);
  await database?.close();
  await rm(dataDir, { recursive: true, force: true });
});

it('sets, shows and removes a site\'s OpenID Connect provider, the secret read from the environment and never printed', async () => {
  const running = { PARLEY_DATA_DIR: dataDir };
  const id = `gazette-${randomUUID().slice(0, 8)}`;
  expect((await parley(['sites', 'add', id, '--name', 'The Gazette', '--origin', 'https://www.gazette.example'], '', running)).code).toBe(0);
  const client = await provider.register(['http://localhost:8080/auth/oidc/callback']);

  const refused = await parley(['sites', 'oidc', id, 'set', '--issuer', 'http://127.0.0.1:1', '--client-id', client.clientId, '--label', 'Log in with Gazette ID'], '', {
    ...running,
    PARLEY_OIDC_CLIENT_SECRET: client.clientSecret,
  });
  expect(refused.code).toBe(1);
  expect(refused.err).toContain('discovery document');

  const set = await parley(['sites', 'oidc', id, 'set', '--issuer', provider.issuer, '--client-id', client.clientId, '--label', 'Log in with Gazette ID'], '', {
    ...running,
    PARLEY_OIDC_CLIENT_SECRET: client.clientSecret,
  });
  expect(set).toMatchObject({ code: 0 });
  expect(set.out).toContain(`issuer        ${provider.issuer}`);
  expect(set.out).toContain('redirect URI  http://localhost:8080/auth/oidc/callback');
  expect(set.out).not.toContain(client.clientSecret);

  const shown = await parley(['sites', 'oidc', id, 'show', '--json'], '', running);
  expect(JSON.parse(shown.out).provider).toEqual(expect.objectContaining({ clientId: client.clientId, label: 'Log in with Gazette ID', scopes: 'openid profile email' }));
  // The widget sees it through the gateway.
  expect(await (await fetch(`${stack.urls.gateway}/auth/oidc/sites/${id}`)).json()).toEqual({ label: 'Log in with Gazette ID' });

  expect((await parley(['sites', 'oidc', id, 'remove'], '', running)).out).toContain('no longer offers login');
  expect((await parley(['sites', 'oidc', id], '', running)).err).toContain('no OpenID Connect provider');
});
