// A real OpenID Connect provider for the tests (the `oidc-provider` package, ESM-only, so it runs
// as its own node process: see oidc-provider.ts). It signs in any login/password on its
// development login page, registers clients dynamically (POST /reg, RFC 7591), and prints
// `ready <issuer>` on stdout once it listens. Accounts' profile claims come from the login:
// "ada" → "Ada Gazette", ada@gazette.test; anything else → the login as the name.
import { generateKeyPairSync } from 'node:crypto';
import process from 'node:process';
import http from 'node:http';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
const algorithms = options.algorithms ?? ['RS256', 'ES256'];

const keys = [];
if (algorithms.includes('RS256') || algorithms.includes('PS256')) {
  keys.push({ ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'rsa-1' });
}
if (algorithms.includes('ES256')) keys.push({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }), kid: 'ec-1' });

const profiles = {
  ada: { name: 'Ada Gazette', email: 'ada@gazette.test', email_verified: true, picture: 'https://gazette.test/avatars/ada.png' },
  moderator: { name: 'Moderator', email: 'mod@gazette.test', email_verified: true },
};

const server = http.createServer();
server.listen(0, '127.0.0.1', () => {
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    jwks: { keys },
    enabledJWA: { idTokenSigningAlgValues: algorithms },
    features: { registration: { enabled: true }, devInteractions: { enabled: true } },
    // Profile claims in the id token itself (as most hosted providers put them), not only at userinfo.
    conformIdTokenClaims: false,
    claims: { openid: ['sub'], profile: ['name', 'picture'], email: ['email', 'email_verified'] },
    cookies: { keys: ['parley-test-provider-cookie-key'] },
    ttl: { IdToken: options.idTokenTtl ?? 3600 },
    async findAccount(_ctx, sub) {
      const profile = profiles[sub] ?? { name: sub };
      return { accountId: sub, claims: async () => ({ sub, ...profile }) };
    },
  });
  provider.on('server_error', (_ctx, error) => process.stderr.write(`provider error: ${error.stack}\n`));
  server.on('request', provider.callback());
  process.stdout.write(`ready ${issuer}\n`);
});

process.on('SIGTERM', () => server.close(() => process.exit(0)));
