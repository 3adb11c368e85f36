import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuthSession, OidcExchangeRequest, OidcLoginOption, OidcStartQuery } from '@parley/contracts';
import { AppError, serviceUnavailable, validationFailed, type Logger } from '@parley/platform';
import { toAccount } from '../accounts/user';
import type { AuthDatabase } from '../database/tables';
import type { SessionsService } from '../sessions/sessions.service';
import { neutralName, upsertIdentityUser } from '../sso/identity-users';
import type { SiteDirectory } from '../sso/site-directory';
import { siteNotFound } from '../sso/sso-keys.service';
import type { ProviderDirectory, ProviderMetadata } from './discovery';
import { profileFromClaims, verifyIdToken } from './id-token';
import { oidcNotConfigured } from './oidc-providers.service';
import { findOidcProvider, forgetExpiredOidcState, insertOidcHandoff, insertOidcLogin, spendOidcHandoff, spendOidcLogin, type OidcLoginRow } from './oidc.repository';

/** A login may take this long at the provider (typing a password, a second factor). */
export const loginTtlSeconds = 600;
/** The page must collect the session this soon after the callback: it does so at once. */
export const handoffTtlSeconds = 120;

export const oidcStateInvalid = () =>
  new AppError(400, 'oidc_state_invalid', 'This login is unknown, was already completed, or took too long; start the login again from the article.');
export const oidcProviderError = (message: string) => new AppError(401, 'oidc_provider_error', message);
export const oidcTokenExchangeFailed = (message: string) => new AppError(401, 'oidc_token_exchange_failed', message);
export const oidcCodeInvalid = () => new AppError(401, 'oidc_code_invalid', 'This login code is unknown, was already used, or has expired; log in again.');
const originNotAllowed = () => new AppError(403, 'origin_not_allowed', 'The page is not on one of the site\'s allowed origins.');

/** Where the callback sends the reader next: back to the page that began the login, with a code or an error. */
export interface CallbackOutcome {
  site: string;
  origin: string;
  mode: 'popup' | 'redirect';
  returnUrl: string | null;
  code?: string;
  error?: AppError;
}

export interface OidcDeps {
  db: Kysely<AuthDatabase>;
  sessions: SessionsService;
  sites: SiteDirectory;
  providers: ProviderDirectory;
  clock: () => Date;
}

export interface OidcService {
  /** The widget's "Log in with …" for the site. */
  loginOption(siteId: string): Promise<OidcLoginOption>;
  /** Begins a login: remembers state, nonce and PKCE verifier, and answers the provider's authorization URL. */
  start(siteId: string, query: OidcStartQuery, redirectUri: string): Promise<string>;
  /** The provider sent the reader back: checks everything and leaves a single-use code for the page. */
  callback(query: { state?: string; code?: string; error?: string; iss?: string }, log: Logger): Promise<CallbackOutcome>;
  /** The page trades the code for a participant session, from the origin the login began on. */
  exchange(request: OidcExchangeRequest, origin: string | undefined, log: Logger): Promise<AuthSession>;
}

const random = () => randomBytes(32).toString('base64url');
const hash = (value: string) => createHash('sha256').update(value).digest('base64url');
/** The account key: one account per (site, provider, subject), so a reader of two sites is two accounts (ADR 0013). */
export const oidcIdentityIssuer = (siteId: string, issuer: string) => `oidc:${siteId}:${issuer}`;

/**
 * OpenID Connect login against a site's provider: authorization code with PKCE (S256), state and
 * nonce kept server-side (single use, 10 minutes), the id token checked against the provider's
 * keys (id-token.ts), and the session handed to the publisher's page through a code that works
 * once, for two minutes, from the page's own origin: never a token in a URL (ADR 0013).
 */
export function oidcService(deps: OidcDeps): OidcService {
  async function metadataOf(issuer: string): Promise<ProviderMetadata> {
    try {
      return await deps.providers.metadata(issuer);
    } catch {
      throw serviceUnavailable('The site\'s identity provider cannot be reached just now; try again shortly.');
    }
  }

  async function redeem(login: OidcLoginRow, code: string, metadata: ProviderMetadata, client: { id: string; secret: string }): Promise<string> {
    const form = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: login.redirect_uri, code_verifier: login.code_verifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (metadata.tokenAuth === 'client_secret_basic') {
      // RFC 6749 §2.3.1: both parts form-encoded before Basic.
      headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(client.id)}:${encodeURIComponent(client.secret)}`).toString('base64')}`;
    } else {
      form.set('client_id', client.id);
      form.set('client_secret', client.secret);
    }
    let response: Response;
    try {
      response = await fetch(metadata.tokenEndpoint, { method: 'POST', headers, body: form, redirect: 'error', signal: AbortSignal.timeout(5000) });
    } catch {
      throw serviceUnavailable('The site\'s identity provider cannot be reached just now; try again shortly.');
    }
    const body = (await response.json().catch(() => undefined)) as { id_token?: unknown; error?: unknown } | undefined;
    if (!response.ok) {
      const reason = typeof body?.error === 'string' ? body.error.replace(/[^\w.-]/g, '').slice(0, 60) : `HTTP ${response.status}`;
      throw oidcTokenExchangeFailed(`The identity provider refused to complete the login (${reason}); start the login again.`);
    }
    if (typeof body?.id_token !== 'string') throw oidcTokenExchangeFailed('The identity provider answered without an id token; is "openid" among the scopes?');
    return body.id_token;
  }

  async function finish(login: OidcLoginRow, code: string, log: Logger): Promise<string> {
    const provider = await findOidcProvider(deps.db, login.site_id);
    // Reconfigured to another provider while the reader was away: this login was for the old one.
    if (!provider || provider.issuer !== login.issuer) throw oidcStateInvalid();
    const metadata = await metadataOf(provider.issuer);
    const idToken = await redeem(login, code, metadata, { id: provider.client_id, secret: provider.client_secret });
    const now = deps.clock();
    const claims = await verifyIdToken(idToken, { metadata, clientId: provider.client_id, nonce: login.nonce, keys: deps.providers.keys(metadata.jwksUri), now });
    const profile = profileFromClaims(claims);
    const issuer = oidcIdentityIssuer(login.site_id, provider.issuer);
    const handoff = random();
    const outcome = await deps.db.transaction().execute(async (trx) => {
      const identity = await upsertIdentityUser(
        trx,
        {
          issuer,
          subject: claims.sub,
          site: login.site_id,
          profile: { name: profile.name ?? neutralName(issuer, claims.sub), email: profile.email, avatar: profile.avatar },
          // Each login is a new statement about the reader: it brings the profile up to date.
          issuedAt: new Date(Math.max((claims.iat ?? 0) * 1000, now.getTime())),
        },
        now,
      );
      await insertOidcHandoff(trx, {
        code_hash: hash(handoff),
        site_id: login.site_id,
        user_id: identity.account.id,
        origin: login.origin,
        expires_at: new Date(now.getTime() + handoffTtlSeconds * 1000),
      });
      return identity;
    });
    if (outcome.renamed) log.warn({ site: login.site_id, user: outcome.account.id }, 'oidc name looks like a staff title; a neutral name is shown instead');
    log.info({ site: login.site_id, user: outcome.account.id, created: outcome.created }, 'oidc sign-in');
    return handoff;
  }

  return {
    async loginOption(siteId) {
      const provider = await findOidcProvider(deps.db, siteId);
      return { label: provider?.label ?? null };
    },

    async start(siteId, query, redirectUri) {
      const provider = await findOidcProvider(deps.db, siteId);
      if (!provider) throw oidcNotConfigured();
      const site = await deps.sites.find(siteId);
      if (!site) throw siteNotFound();
      const origin = URL.canParse(query.origin) ? new URL(query.origin).origin : undefined;
      if (!origin || origin !== query.origin.replace(/\/$/, '')) throw validationFailed([{ field: 'origin', message: 'must be an origin like https://news.example.com' }]);
      if (!site.origins.includes(origin)) throw originNotAllowed();
      const returnUrl = query.return ?? null;
      if (returnUrl !== null && (!URL.canParse(returnUrl) || new URL(returnUrl).origin !== origin)) {
        throw validationFailed([{ field: 'return', message: 'must be a page on the origin the login starts from' }]);
      }
      if (query.mode === 'redirect' && returnUrl === null) throw validationFailed([{ field: 'return', message: 'is required in redirect mode' }]);
      const metadata = await metadataOf(provider.issuer);

      const state = random();
      const nonce = random();
      const verifier = random();
      const now = deps.clock();
      await forgetExpiredOidcState(deps.db, now);
      await insertOidcLogin(deps.db, {
        state_hash: hash(state),
        site_id: siteId,
        issuer: provider.issuer,
        nonce,
        code_verifier: verifier,
        redirect_uri: redirectUri,
        origin,
        return_url: returnUrl,
        mode: query.mode,
        expires_at: new Date(now.getTime() + loginTtlSeconds * 1000),
      });
      const url = new URL(metadata.authorizationEndpoint);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('client_id', provider.client_id);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', provider.scopes);
      url.searchParams.set('state', state);
      url.searchParams.set('nonce', nonce);
      url.searchParams.set('code_challenge', createHash('sha256').update(verifier).digest('base64url'));
      url.searchParams.set('code_challenge_method', 'S256');
      if (query.mode === 'popup') url.searchParams.set('display', 'popup');
      return url.href;
    },

    async callback(query, log) {
      if (!query.state) throw oidcStateInvalid();
      const login = await spendOidcLogin(deps.db, hash(query.state));
      if (!login || login.expires_at.getTime() < deps.clock().getTime()) throw oidcStateInvalid();
      const outcome: CallbackOutcome = { site: login.site_id, origin: login.origin, mode: login.mode, returnUrl: login.return_url };
      try {
        if (query.iss !== undefined && query.iss !== login.issuer) throw oidcProviderError('The login answer came from another identity provider than the one it was sent to.');
        if (query.error) {
          const reason = query.error.replace(/[^\w.-]/g, '').slice(0, 60);
          throw oidcProviderError(
            reason === 'access_denied' ? 'The login was cancelled at the identity provider (access_denied).' : `The identity provider refused the login (${reason}).`,
          );
        }
        if (!query.code) throw oidcProviderError('The identity provider sent the reader back without a code.');
        return { ...outcome, code: await finish(login, query.code, log) };
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        log.warn({ site: login.site_id, code: error.code }, 'oidc login refused');
        return { ...outcome, error };
      }
    },

    async exchange({ code }, origin, log) {
      const now = deps.clock();
      return deps.db.transaction().execute(async (trx) => {
        const handoff = await spendOidcHandoff(trx, hash(code));
        if (!handoff || handoff.expires_at.getTime() < now.getTime()) throw oidcCodeInvalid();
        // The code was posted to that origin's page only; from anywhere else it is stolen.
        if (origin !== undefined && origin !== handoff.origin) throw oidcCodeInvalid();
        const row = await trx.selectFrom('users').selectAll().where('id', '=', handoff.user_id).executeTakeFirst();
        if (!row) throw oidcCodeInvalid();
        log.info({ site: handoff.site_id, user: row.id }, 'oidc session handed over');
        // Whatever the account's role: the session is used on a publisher's page.
        return deps.sessions.start(trx, toAccount(row), 'participant');
      });
    },
  };
}
