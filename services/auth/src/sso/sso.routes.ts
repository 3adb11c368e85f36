import { AuthSession, CreateSsoKeyRequest, SsoExchangeRequest, SsoKeyCreated, SsoKeyIdParams, SsoKeyParams, SsoKeysResponse } from '@parley/contracts';
import { noStore, route } from '../services';

/** A site's sign-on keys (admins, on Parley's own origin) and the exchange of a publisher's token for a session. */
export const ssoRoutes = [
  route({
    method: 'post',
    path: '/auth/admin/sites/:site/sso-keys',
    operationId: 'createSsoKey',
    summary: 'Add a sign-on key to a site',
    description:
      '`{"kind": "secret"}`: Parley generates an HS256 secret (32 random bytes) and answers it in `secret` this once; it is never shown again. `{"kind": "jwks", "jwksUrl": "https://…"}`: the publisher signs with RS256 or ES256 keys published at that URL (fetched and checked now). `kid` is chosen by Parley when left out; tokens name it in their header. Rotation: add the new key, switch the publisher, delete the old one.',
    tag: 'Auth',
    auth: 'required',
    allow: 'sites.sso.manage',
    params: SsoKeyParams,
    body: CreateSsoKeyRequest,
    headers: noStore,
    response: { status: 201, schema: SsoKeyCreated, description: 'The key; for a secret, the secret itself, once.' },
    errors: { 400: ['invalid_jwks'], 404: ['site_not_found'], 409: ['sso_key_exists'], 503: ['service_unavailable'] },
    handler: ({ viewer, params, body, log }, { ssoKeys }) => ssoKeys.create({ id: viewer.id }, params.site, body, log),
  }),
  route({
    method: 'get',
    path: '/auth/admin/sites/:site/sso-keys',
    operationId: 'listSsoKeys',
    summary: 'A site\'s sign-on keys (never their secrets)',
    tag: 'Auth',
    auth: 'required',
    allow: 'sites.sso.manage',
    params: SsoKeyParams,
    headers: noStore,
    response: { status: 200, schema: SsoKeysResponse, description: 'Each key\'s kid, kind, JWKS URL and creation time.' },
    errors: { 404: ['site_not_found'], 503: ['service_unavailable'] },
    handler: async ({ params }, { ssoKeys }) => ({ keys: await ssoKeys.list(params.site) }),
  }),
  route({
    method: 'delete',
    path: '/auth/admin/sites/:site/sso-keys/:kid',
    operationId: 'deleteSsoKey',
    summary: 'Remove a sign-on key',
    description: 'Tokens signed with it are refused from now on. Sessions it already opened go on.',
    tag: 'Auth',
    auth: 'required',
    allow: 'sites.sso.manage',
    params: SsoKeyIdParams,
    response: { status: 204, description: 'Removed.' },
    errors: { 404: ['sso_key_not_found'] },
    handler: async ({ viewer, params, log }, { ssoKeys }) => {
      await ssoKeys.remove({ id: viewer.id }, params.site, params.kid, log);
    },
  }),
  route({
    method: 'post',
    path: '/auth/sso',
    operationId: 'ssoExchange',
    summary: 'Exchange a publisher\'s sign-on token for a session',
    description:
      'The publisher\'s server signs a JWT about its logged-in reader with one of the site\'s keys (kid in the header; HS256 for a Parley secret, RS256/ES256 for a JWKS): `sub`, `name`, `iat`, `exp` (at most 10 minutes after `iat`), `jti` (used once), optional `email`, `avatar` (https), `badge` and `aud` (the site id). The answer is always a participant session of that reader, created on first use. See docs/publishers.md.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'sso', per: 'client' },
    body: SsoExchangeRequest,
    headers: noStore,
    response: { status: 200, schema: AuthSession, description: 'A participant session of the reader.' },
    errors: {
      401: ['sso_token_malformed', 'sso_unknown_key', 'sso_bad_signature', 'sso_token_expired', 'sso_token_replayed', 'sso_wrong_site', 'sso_claims_invalid'],
      429: ['rate_limited'],
      503: ['service_unavailable'],
    },
    handler: ({ body, log }, { sso }) => sso.exchange(body, log),
  }),
];
