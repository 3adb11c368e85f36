import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { CreateSsoKeyRequest, SsoKey, SsoKeyCreated } from '@parley/contracts';
import { conflict, notFound, type Logger } from '@parley/platform';
import type { AuthDatabase } from '../database/tables';
import { checkJwksUrl } from './publisher-keys';
import type { SiteDirectory } from './site-directory';
import { deleteSsoKey, insertAuditEntry, insertSsoKey, listSsoKeys, type SsoKeyRow } from './sso-keys.repository';

export interface SsoKeysDeps {
  db: Kysely<AuthDatabase>;
  sites: SiteDirectory;
  clock: () => Date;
  /** Fetches and checks a JWKS URL being registered (checkJwksUrl). */
  checkJwks?: (url: string) => Promise<void>;
}

/** Who changes a key: a staff account, or an operator at the server's shell (no account; named in the audit entry). */
export type KeyAdmin = { id: string } | { commandLine: string };

export interface SsoKeysService {
  create(actor: KeyAdmin, siteId: string, request: CreateSsoKeyRequest, log: Logger): Promise<SsoKeyCreated>;
  list(siteId: string): Promise<SsoKey[]>;
  remove(actor: KeyAdmin, siteId: string, kid: string, log: Logger): Promise<void>;
}

const actorId = (actor: KeyAdmin) => ('id' in actor ? actor.id : null);
const actorDetails = (actor: KeyAdmin) => ('commandLine' in actor ? { by: actor.commandLine } : {});
const actorForLog = (actor: KeyAdmin) => ('id' in actor ? actor.id : actor.commandLine);

export const siteNotFound = () => notFound('site_not_found', 'There is no site with that id.');
export const ssoKeyNotFound = () => notFound('sso_key_not_found', 'This site has no sign-on key with that kid.');
export const ssoKeyExists = () => conflict('sso_key_exists', 'This site already has a sign-on key with that kid; choose another, or delete the old one first.');

export const presentSsoKey = (row: SsoKeyRow): SsoKey => ({
  kid: row.kid,
  kind: row.kind,
  ...(row.jwks_url ? { jwksUrl: row.jwks_url } : {}),
  createdAt: row.created_at.toISOString(),
});

/**
 * A site's sign-on keys. A secret is 32 random bytes generated here and answered once, at
 * creation; listing never shows it. Rotation without downtime: add the new key, switch the
 * publisher's server to it, delete the old one. Every change is written to the audit log and the
 * service log (never the secret).
 */
export function ssoKeysService(deps: SsoKeysDeps): SsoKeysService {
  const checkJwks = deps.checkJwks ?? checkJwksUrl;
  const requireSite = async (siteId: string) => {
    if (!(await deps.sites.find(siteId))) throw siteNotFound();
  };
  return {
    async create(actor, siteId, request, log) {
      await requireSite(siteId);
      if (request.kind === 'jwks') await checkJwks(request.jwksUrl);
      const secret = request.kind === 'secret' ? randomBytes(32).toString('base64url') : undefined;
      const kid = request.kid ?? `${request.kind === 'secret' ? 'hs' : 'jwks'}-${randomBytes(6).toString('base64url')}`;
      const now = deps.clock();
      const row = await deps.db.transaction().execute(async (trx) => {
        const inserted = await insertSsoKey(trx, {
          id: randomUUID(),
          site_id: siteId,
          kid,
          kind: request.kind,
          secret: secret ?? null,
          jwks_url: request.kind === 'jwks' ? request.jwksUrl : null,
          created_by: actorId(actor),
          created_at: now,
        });
        if (!inserted) throw ssoKeyExists();
        await insertAuditEntry(trx, {
          id: randomUUID(),
          at: now,
          actor_id: actorId(actor),
          action: 'sso_key.created',
          site_id: siteId,
          target: kid,
          details: { kind: request.kind, ...(request.kind === 'jwks' ? { jwksUrl: request.jwksUrl } : {}), ...actorDetails(actor) },
        });
        return inserted;
      });
      log.info({ actor: actorForLog(actor), site: siteId, kid, kind: request.kind }, 'sso key created');
      return { key: presentSsoKey(row), ...(secret ? { secret } : {}) };
    },

    async list(siteId) {
      await requireSite(siteId);
      return (await listSsoKeys(deps.db, siteId)).map(presentSsoKey);
    },

    async remove(actor, siteId, kid, log) {
      const now = deps.clock();
      const row = await deps.db.transaction().execute(async (trx) => {
        const deleted = await deleteSsoKey(trx, siteId, kid);
        if (!deleted) throw ssoKeyNotFound();
        await insertAuditEntry(trx, {
          id: randomUUID(),
          at: now,
          actor_id: actorId(actor),
          action: 'sso_key.deleted',
          site_id: siteId,
          target: kid,
          details: { kind: deleted.kind, ...actorDetails(actor) },
        });
        return deleted;
      });
      log.info({ actor: actorForLog(actor), site: siteId, kid, kind: row.kind }, 'sso key deleted');
    },
  };
}
