import { createRemoteJWKSet } from 'jose';
import { z } from 'zod';
import { AppError } from '@parley/platform';
import type { KeySetLookup } from '../sso/publisher-keys';

/** What Parley accepts an id token signed with: asymmetric only, never `none` or an HMAC. */
export const idTokenAlgorithms = ['RS256', 'ES256', 'PS256'] as const;

export const oidcDiscoveryFailed = (message: string) => new AppError(400, 'oidc_discovery_failed', message);

/** The part of a provider's discovery document Parley uses. */
export interface ProviderMetadata {
  issuer: string;
  authorizationEndpoint: string;
  tokenEndpoint: string;
  jwksUri: string;
  /** What the provider advertises among idTokenAlgorithms: the only ones its id tokens are verified with. */
  algorithms: string[];
  /** How Parley authenticates at the token endpoint: HTTP Basic unless the provider only takes a POSTed secret. */
  tokenAuth: 'client_secret_basic' | 'client_secret_post';
}

const endpoint = z.string().refine((value) => URL.canParse(value) && ['https:', 'http:'].includes(new URL(value).protocol), 'must be an http(s) URL');
const Discovery = z.looseObject({
  issuer: z.string(),
  authorization_endpoint: endpoint,
  token_endpoint: endpoint,
  jwks_uri: endpoint,
  response_types_supported: z.array(z.string()).optional(),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
  code_challenge_methods_supported: z.array(z.string()).optional(),
  token_endpoint_auth_methods_supported: z.array(z.string()).optional(),
});

/** `https://id.example.com/` and `https://id.example.com` name one issuer: discovery URLs are built without the slash. */
export const discoveryUrl = (issuer: string) => `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;

/**
 * Fetches and checks a provider's discovery document (OpenID Connect Discovery 1.0): its `issuer`
 * must be the one configured (§4.3, or a look-alike could hand out tokens), it must offer the
 * authorization code flow and sign id tokens with an asymmetric algorithm Parley verifies, and it
 * must not refuse PKCE S256. Every failure is a 400 that says what to fix.
 */
export async function discover(issuer: string, timeoutMs = 5000): Promise<ProviderMetadata> {
  let body: unknown;
  try {
    const response = await fetch(discoveryUrl(issuer), { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', headers: { accept: 'application/json' } });
    if (!response.ok) throw oidcDiscoveryFailed(`The provider's discovery document (${discoveryUrl(issuer)}) answered ${response.status}; check the issuer URL.`);
    body = await response.json();
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw oidcDiscoveryFailed(`The provider's discovery document (${discoveryUrl(issuer)}) could not be fetched or is not JSON; check the issuer URL and that Parley can reach it.`);
  }
  const parsed = Discovery.safeParse(body);
  if (!parsed.success) throw oidcDiscoveryFailed('The provider\'s discovery document lacks issuer, authorization_endpoint, token_endpoint or jwks_uri.');
  const doc = parsed.data;
  if (doc.issuer !== issuer) throw oidcDiscoveryFailed(`The provider calls itself "${doc.issuer}", not "${issuer}": configure exactly its issuer.`);
  if (doc.response_types_supported && !doc.response_types_supported.includes('code')) {
    throw oidcDiscoveryFailed('The provider does not offer the authorization code flow (response_type "code").');
  }
  if (doc.code_challenge_methods_supported && !doc.code_challenge_methods_supported.includes('S256')) {
    throw oidcDiscoveryFailed('The provider does not support PKCE with S256 (code_challenge_methods_supported).');
  }
  // Discovery's default when the list is absent is RS256 (OpenID Connect Discovery §3).
  const advertised = doc.id_token_signing_alg_values_supported ?? ['RS256'];
  const algorithms = idTokenAlgorithms.filter((alg) => advertised.includes(alg));
  if (algorithms.length === 0) throw oidcDiscoveryFailed(`The provider signs id tokens with ${advertised.join(', ') || 'nothing'}; Parley needs RS256, ES256 or PS256.`);
  const methods = doc.token_endpoint_auth_methods_supported ?? ['client_secret_basic'];
  return {
    issuer: doc.issuer,
    authorizationEndpoint: doc.authorization_endpoint,
    tokenEndpoint: doc.token_endpoint,
    jwksUri: doc.jwks_uri,
    algorithms,
    tokenAuth: methods.includes('client_secret_basic') || !methods.includes('client_secret_post') ? 'client_secret_basic' : 'client_secret_post',
  };
}

export interface ProviderDirectory {
  /** The provider's metadata, fetched at most every `maxAgeMs` per issuer. */
  metadata(issuer: string): Promise<ProviderMetadata>;
  /** The provider's signing keys (jose's remote set: cached, refetched on an unknown kid). */
  keys(jwksUri: string): KeySetLookup;
}

/** Discovery documents and key sets kept for the app's life, one per issuer / URL. */
export function providerDirectory(options: { maxAgeMs?: number; clock?: () => Date } = {}): ProviderDirectory {
  const maxAgeMs = options.maxAgeMs ?? 600_000;
  const now = () => (options.clock ?? (() => new Date()))().getTime();
  const documents = new Map<string, { at: number; metadata: Promise<ProviderMetadata> }>();
  const sets = new Map<string, KeySetLookup>();
  return {
    metadata(issuer) {
      const cached = documents.get(issuer);
      if (cached && now() - cached.at < maxAgeMs) return cached.metadata;
      const metadata = discover(issuer);
      documents.set(issuer, { at: now(), metadata });
      // A failure is not kept: the next login asks again.
      metadata.catch(() => documents.delete(issuer));
      return metadata;
    },
    keys(jwksUri) {
      let set = sets.get(jwksUri);
      if (!set) {
        set = createRemoteJWKSet(new URL(jwksUri), { cacheMaxAge: 600_000, cooldownDuration: 30_000, timeoutDuration: 3000 });
        sets.set(jwksUri, set);
      }
      return set;
    },
  };
}
