import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isStaff } from '@parley/contracts';
import { imitatesStaff } from '../accounts/display-names';
import { toAccount, type Account, type UserRow } from '../accounts/user';
import type { AuthDatabase } from '../database/tables';

type Db = Kysely<AuthDatabase>;

/** What a publisher says about its reader. Optional fields left out keep what Parley has; `null` clears them. */
export interface IdentityProfile {
  name: string;
  email?: string | null;
  avatar?: string | null;
  badge?: string | null;
}

export interface IdentityClaim {
  /** `sso:<site>` for a signed token, the provider's issuer for OpenID Connect. */
  issuer: string;
  subject: string;
  /** The site whose sign-on vouches for the reader (their `idp` is `sso:<site>`). */
  site: string;
  profile: IdentityProfile;
  /** When the publisher made the statement: an older one never overwrites a newer one. */
  issuedAt: Date;
}

/**
 * A neutral, stable name ("Reader 4821") for a reader whose publisher-given name would pass for staff.
 * Falling back rather than refusing: the name comes from the publisher's account system, which the
 * reader may not be able to change, so refusing would lock them out of every discussion on the site
 * for something they do not control. The publisher sees a warning in Parley's log and can fix it.
 */
export function neutralName(issuer: string, subject: string): string {
  const digest = createHash('sha256').update(`${issuer}\n${subject}`).digest();
  return `Reader ${1000 + (digest.readUInt32BE(0) % 9000)}`;
}

const findByIdentity = (db: Db, issuer: string, subject: string) =>
  db.selectFrom('users').selectAll().where('identity_issuer', '=', issuer).where('identity_subject', '=', subject).forUpdate().executeTakeFirst();

/**
 * The account a publisher vouches for, created on first sight (no password, no login email) and
 * brought up to date when the statement is newer than the last one applied. `db` should be the
 * caller's transaction. `renamed` says the publisher's name was replaced by a neutral one.
 */
export async function upsertIdentityUser(db: Db, claim: IdentityClaim, now: Date): Promise<{ account: Account; created: boolean; renamed: boolean }> {
  const { issuer, subject, profile } = claim;
  const nameFor = (existing?: UserRow) => {
    if (existing && isStaff(existing.role)) return { name: profile.name, renamed: false };
    return imitatesStaff(profile.name) ? { name: neutralName(issuer, subject), renamed: true } : { name: profile.name, renamed: false };
  };

  let row = await findByIdentity(db, issuer, subject);
  if (!row) {
    const { name, renamed } = nameFor();
    const inserted = await db
      .insertInto('users')
      .values({
        id: randomUUID(),
        email: profile.email ?? '',
        email_normalized: null,
        password_hash: null,
        display_name: name,
        role: 'reader',
        identity_issuer: issuer,
        identity_subject: subject,
        identity_site: claim.site,
        identity_updated_at: claim.issuedAt,
        avatar_url: profile.avatar ?? null,
        badge: profile.badge ?? null,
        created_at: now,
        updated_at: now,
      })
      // Two first sign-ins at once: the second finds the first's account below.
      .onConflict((conflict) => conflict.columns(['identity_issuer', 'identity_subject']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { account: toAccount(inserted), created: true, renamed };
    row = await findByIdentity(db, issuer, subject);
    if (!row) throw new Error('identity account vanished while signing in');
  }

  if (row.identity_updated_at && claim.issuedAt.getTime() <= row.identity_updated_at.getTime()) {
    return { account: toAccount(row), created: false, renamed: false };
  }
  const { name, renamed } = nameFor(row);
  const updated = await db
    .updateTable('users')
    .set({
      display_name: name,
      ...(profile.email !== undefined ? { email: profile.email ?? '' } : {}),
      ...(profile.avatar !== undefined ? { avatar_url: profile.avatar } : {}),
      ...(profile.badge !== undefined ? { badge: profile.badge } : {}),
      identity_updated_at: claim.issuedAt,
      updated_at: now,
    })
    .where('id', '=', row.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { account: toAccount(updated), created: false, renamed };
}
