import type { Request } from 'express';
import {
  AuthSession,
  OidcCallbackQuery,
  OidcExchangeRequest,
  OidcLoginOption,
  OidcProviderParams,
  OidcProviderResponse,
  OidcStartQuery,
  SetOidcProviderRequest,
} from '@parley/contracts';
import { AppError } from '@parley/platform';
import { noStore, route } from '../services';
import { callbackPage, errorPage, popupScript, startHeaders } from './oidc-pages';

/** The redirect URI to register at the provider: on Parley's public origin (PUBLIC_URL, else the Host the gateway was called with). */
export function redirectUriOf(req: Request, publicOrigins: readonly string[]): string {
  const origin = publicOrigins[0] ?? `${req.protocol}://${req.get('host')}`;
  return `${origin}/auth/oidc/callback`;
}

/** A site's OpenID Connect provider (admins) and the reader's login through it. */
export const oidcRoutes = [
  route({
    method: 'put',
    path: '/auth/admin/sites/:site/oidc',
    operationId: 'setOidcProvider',
    summary: 'Set the site\'s OpenID Connect provider',
    description:
      'Parley fetches `<issuer>/.well-known/openid-configuration` now: a wrong issuer or an unreachable provider is a 400 and nothing changes. `clientSecret` is required the first time and may be left out later to keep the stored one; it is never answered. Register the answered `redirectUri` at the provider. `scopes` defaults to "openid profile email".',
    tag: 'Auth',
    auth: 'required',
    allow: 'sites.sso.manage',
    params: OidcProviderParams,
    body: SetOidcProviderRequest,
    headers: noStore,
    response: { status: 200, schema: OidcProviderResponse, description: 'The provider as stored (without the secret).' },
    errors: { 400: ['oidc_discovery_failed'], 404: ['site_not_found'], 503: ['service_unavailable'] },
    handler: async ({ viewer, params, body, req, log }, { oidcProviders, publicOrigins }) => ({
      provider: await oidcProviders.set({ id: viewer.id }, params.site, body, redirectUriOf(req, publicOrigins), log),
    }),
  }),
  route({
    method: 'get',
    path: '/auth/admin/sites/:site/oidc',
    operationId: 'getOidcProvider',
    summary: 'The site\'s OpenID Connect provider (never its client secret)',
    tag: 'Auth',
    auth: 'required',
    allow: 'sites.sso.manage',
    params: OidcProviderParams,
    headers: noStore,
    response: { status: 200, schema: OidcProviderResponse, description: 'The provider, and the redirect URI to register there.' },
    errors: { 404: ['site_not_found', 'oidc_not_configured'], 503: ['service_unavailable'] },
    handler: async ({ params, req }, { oidcProviders, publicOrigins }) => ({ provider: await oidcProviders.get(params.site, redirectUriOf(req, publicOrigins)) }),
  }),
  route({
    method: 'delete',
    path: '/auth/admin/sites/:site/oidc',
    operationId: 'deleteOidcProvider',
    summary: 'Remove the site\'s OpenID Connect provider',
    description: 'The widget stops offering the login; sessions it opened go on.',
    tag: 'Auth',
    auth: 'required',
    allow: 'sites.sso.manage',
    params: OidcProviderParams,
    response: { status: 204, description: 'Removed.' },
    errors: { 404: ['oidc_not_configured'] },
    handler: async ({ viewer, params, log }, { oidcProviders }) => {
      await oidcProviders.remove({ id: viewer.id }, params.site, log);
    },
  }),
  route({
    method: 'get',
    path: '/auth/oidc/sites/:site',
    operationId: 'oidcLoginOption',
    summary: 'Whether the site offers login with its identity provider, and the button\'s label',
    tag: 'Auth',
    auth: 'none',
    params: OidcProviderParams,
    headers: { 'Cache-Control': 'no-cache' },
    response: { status: 200, schema: OidcLoginOption, description: 'The label ("Log in with Gazette ID"), or null when the site has no provider.' },
    handler: ({ params }, { oidc }) => oidc.loginOption(params.site),
  }),
  route({
    method: 'get',
    path: '/auth/oidc/sites/:site/start',
    operationId: 'oidcStart',
    summary: 'Begin a login at the site\'s identity provider (opened in a popup or navigated to)',
    description:
      'Redirects to the provider with the authorization code flow, PKCE (S256), a state and a nonce (kept by Parley, single use, 10 minutes). `origin` must be one of the site\'s allowed origins: only a page there receives the result. A refusal is an HTML page with the error code.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'oidc', per: 'client' },
    params: OidcProviderParams,
    query: OidcStartQuery,
    response: { status: 302, contentType: 'text/html', description: 'To the provider\'s authorization endpoint.' },
    errors: { 400: ['validation_failed'], 403: ['origin_not_allowed'], 404: ['oidc_not_configured', 'site_not_found'], 429: ['rate_limited'], 503: ['service_unavailable'] },
    handler: async ({ params, query, req, res }, { oidc, publicOrigins }) => {
      try {
        const location = await oidc.start(params.site, query, redirectUriOf(req, publicOrigins));
        res.status(302).set(startHeaders).set('Location', location).end();
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        errorPage(res, error);
      }
    },
  }),
  route({
    method: 'get',
    path: '/auth/oidc/callback',
    operationId: 'oidcCallback',
    summary: 'Where the identity provider sends the reader back (the redirect URI to register)',
    description:
      'Spends the login\'s state, redeems the code with the PKCE verifier, verifies the id token (signature with the provider\'s keys and advertised algorithm, issuer, audience, nonce, expiry) and creates or updates the reader. In a popup the page posts a single-use code (two minutes) to the opener on the login\'s origin; in redirect mode it goes back to the page with the code in the fragment. A refusal (`access_denied`, bad or spent state, a bad id token) creates nothing and says why.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'oidc', per: 'client' },
    query: OidcCallbackQuery,
    response: { status: 200, contentType: 'text/html', description: 'The page that hands the code to the publisher\'s page.' },
    errors: {
      400: ['oidc_state_invalid'],
      401: ['oidc_provider_error', 'oidc_token_exchange_failed', 'oidc_id_token_invalid'],
      429: ['rate_limited'],
      503: ['service_unavailable'],
    },
    otherResponses: [{ status: 303, description: 'Redirect mode: back to the article, `#parley-oidc=<code>` (or `#parley-oidc-error=<code>`).' }],
    handler: async ({ query, res, log }, { oidc }) => {
      try {
        callbackPage(res, await oidc.callback(query, log));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        errorPage(res, error);
      }
    },
  }),
  route({
    method: 'get',
    path: '/auth/oidc/popup.js',
    operationId: 'oidcPopupScript',
    summary: 'The login popup\'s script',
    tag: 'Auth',
    auth: 'none',
    response: { status: 200, contentType: 'text/javascript', description: 'Posts the result to the opener and closes the popup.' },
    handler: ({ res }) => {
      res.status(200).set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }).send(popupScript);
    },
  }),
  route({
    method: 'post',
    path: '/auth/oidc/exchange',
    operationId: 'oidcExchange',
    summary: 'Trade the login popup\'s code for a session',
    description: 'The code works once, for two minutes, from the page origin the login began on. The answer is always a participant session.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'oidc', per: 'client' },
    body: OidcExchangeRequest,
    headers: noStore,
    response: { status: 200, schema: AuthSession, description: 'A participant session of the reader.' },
    errors: { 401: ['oidc_code_invalid'], 429: ['rate_limited'] },
    handler: ({ body, req, log }, { oidc }) => oidc.exchange(body, req.get('origin'), log),
  }),
];
