import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { OidcProvider, SetOidcProviderRequest } from '@parley/contracts';
import { AppError, type Logger } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import type { SiteDirectory } from '../sso/site-directory';
import { siteNotFound, type KeyAdmin } from '../sso/sso-keys.service';
import { insertAuditEntry } from '../sso/sso-keys.repository';
import { discover, type ProviderMetadata } from './discovery';
import { deleteOidcProvider, findOidcProvider, upsertOidcProvider, type OidcProviderRow } from './oidc.repository';

export const oidcNotConfigured = () => new AppError(404, 'oidc_not_configured', 'This site has no OpenID Connect provider.');
const secretRequired = () =>
  new AppError(400, 'validation_failed', 'A client secret is needed the first time a site\'s provider is set.', [{ field: 'clientSecret', message: 'is required' }]);

export interface OidcProvidersDeps {
  db: Kysely<AuthDatabase>;
  sites: SiteDirectory;
  clock: () => Date;
  /** Fetches and checks the provider's discovery document (discover): a bad issuer is refused before anything is stored. */
  discover?: (issuer: string) => Promise<ProviderMetadata>;
}

export interface OidcProvidersService {
  /** `actor`: an admin's account, or the server's command line (`pnpm parley sites oidc`). */
  set(actor: KeyAdmin, siteId: string, request: SetOidcProviderRequest, redirectUri: string, log: Logger): Promise<OidcProvider>;
  get(siteId: string, redirectUri: string): Promise<OidcProvider>;
  remove(actor: KeyAdmin, siteId: string, log: Logger): Promise<void>;
}

/** Scopes asked for when the admin names none; `openid` is added when left out. */
export const defaultScopes = 'openid profile email';
const withOpenId = (scopes: string) => (scopes.split(' ').includes('openid') ? scopes : `openid ${scopes}`);

const actorId = (actor: KeyAdmin) => ('id' in actor ? actor.id : null);
const actorDetails = (actor: KeyAdmin) => ('commandLine' in actor ? { by: actor.commandLine } : {});
const actorForLog = (actor: KeyAdmin) => ('id' in actor ? actor.id : actor.commandLine);

const present = (row: OidcProviderRow, redirectUri: string, algorithms: string[]): OidcProvider => ({
  issuer: row.issuer,
  clientId: row.client_id,
  scopes: row.scopes,
  label: row.label,
  redirectUri,
  algorithms,
  updatedAt: row.updated_at.toISOString(),
});

/**
 * A site's OpenID Connect provider, managed by admins. Setting it fetches the provider's discovery
 * document first, so a wrong issuer or an unreachable provider is a 400 and nothing is stored. The
 * client secret is written and never answered. Every change is written to the audit log and the
 * service log (without the secret).
 */
export function oidcProvidersService(deps: OidcProvidersDeps): OidcProvidersService {
  const discoverProvider = deps.discover ?? ((issuer: string) => discover(issuer));
  const requireSite = async (siteId: string) => {
    if (!(await deps.sites.find(siteId))) throw siteNotFound();
  };
  return {
    async set(actor, siteId, request, redirectUri, log) {
      await requireSite(siteId);
      const metadata = await discoverProvider(request.issuer);
      const now = deps.clock();
      const row = await deps.db.transaction().execute(async (trx) => {
        const existing = await findOidcProvider(trx, siteId);
        if (!existing && request.clientSecret === undefined) throw secretRequired();
        const saved = await upsertOidcProvider(trx, {
          site_id: siteId,
          issuer: request.issuer,
          client_id: request.clientId,
          client_secret: request.clientSecret,
          scopes: withOpenId(request.scopes ?? defaultScopes),
          label: request.label,
          updated_by: actorId(actor),
          updated_at: now,
        });
        if (!saved) throw secretRequired();
        await insertAuditEntry(trx, {
          id: randomUUID(),
          at: now,
          actor_id: actorId(actor),
          action: existing ? 'oidc_provider.updated' : 'oidc_provider.created',
          site_id: siteId,
          target: request.issuer,
          details: { ...actorDetails(actor), clientId: request.clientId, scopes: saved.scopes, label: request.label, secretChanged: request.clientSecret !== undefined },
        });
        return saved;
      });
      log.info({ actor: actorForLog(actor), site: siteId, issuer: row.issuer }, 'oidc provider set');
      return present(row, redirectUri, metadata.algorithms);
    },

    async get(siteId, redirectUri) {
      await requireSite(siteId);
      const row = await findOidcProvider(deps.db, siteId);
      if (!row) throw oidcNotConfigured();
      const algorithms = await discoverProvider(row.issuer).then(
        (metadata) => metadata.algorithms,
        () => [],
      );
      return present(row, redirectUri, algorithms);
    },

    async remove(actor, siteId, log) {
      const now = deps.clock();
      await deps.db.transaction().execute(async (trx) => {
        const deleted = await deleteOidcProvider(trx, siteId);
        if (!deleted) throw oidcNotConfigured();
        await insertAuditEntry(trx, { id: randomUUID(), at: now, actor_id: actorId(actor), action: 'oidc_provider.deleted', site_id: siteId, target: deleted.issuer, details: actorDetails(actor) });
      });
      log.info({ actor: actorForLog(actor), site: siteId }, 'oidc provider removed');
    },
  };
}
