import type { Kysely } from 'kysely';
import { isStaff, type DigestNotificationRequest, type QueueNotificationRequest, type NotificationSettings, type NotificationSettingsUpdate, type ReplyNotificationRequest } from '@parley/contracts';
import { pickLocale, type MailLocale } from '@parley/mail';
import { forbidden, invalidToken } from '@parley/platform';
import { findUserById } from '../accounts/accounts.repository';
import type { UserRow } from '../accounts/user';
import type { AuthDatabase } from '../database/tables';
import type { Mailer } from '../mail/mailer';
import type { UnsubscribeTokens, UnsubscribeTopic } from './unsubscribe-tokens';

export interface NotificationsDeps {
  db: Kysely<AuthDatabase>;
  mailer: Mailer;
  tokens: UnsubscribeTokens;
}

export type ReplyOutcome = 'queued' | 'duplicate' | 'not_wanted' | 'no_address' | 'unknown_user';

export interface NotificationsService {
  /** Mails the author of a comment that got a reply, if they want it and their address is confirmed. */
  replyPosted(request: ReplyNotificationRequest): Promise<ReplyOutcome>;
  /** Mails a follower a digest of new comments in a discussion, if they want it and their address is confirmed. */
  digestDue(request: DigestNotificationRequest): Promise<ReplyOutcome>;
  /** Mails each staff member who opted in about the new queue items of the sites they moderate. */
  queueChanged(request: QueueNotificationRequest): Promise<{ queued: number }>;
  settings(userId: string): Promise<NotificationSettings>;
  /** Changes what is named; `queue` only for staff (else 403). */
  update(userId: string, settings: NotificationSettingsUpdate): Promise<NotificationSettings>;
  /** Follows a signed unsubscribe link; undefined when the token is not one of ours. */
  unsubscribe(token: string): Promise<{ locale: MailLocale; topic: UnsubscribeTopic } | undefined>;
  /** Whether a token is valid (the confirmation page), and the account's language. */
  checkUnsubscribe(token: string): Promise<{ locale: MailLocale; topic: UnsubscribeTopic } | undefined>;
}

/** Which setting each unsubscribe topic turns off. */
const topicColumns = { replies: 'notify_replies', follows: 'notify_follows', queue: 'notify_queue' } as const satisfies Record<UnsubscribeTopic, keyof UserRow>;

/**
 * Never to an address nobody confirmed: someone could register with a stranger's email and have
 * notifications mail them. A publisher's reader's address is the publisher's, used as given.
 */
const confirmedAddress = (user: UserRow) => (user.password_hash === null ? user.email.includes('@') : user.email_verified_at !== null);

const presentSettings = (user: UserRow): NotificationSettings => ({
  replies: user.notify_replies,
  follows: user.notify_follows,
  ...(isStaff(user.role) ? { queue: user.notify_queue } : {}),
});

export function notificationsService(deps: NotificationsDeps): NotificationsService {
  async function find(userId: string) {
    const user = await findUserById(deps.db, userId);
    if (!user) throw invalidToken('The account this token belongs to no longer exists.');
    return user;
  }
  // RFC 8058: mail clients offer "unsubscribe" and POST `List-Unsubscribe=One-Click` to it.
  const unsubscribeHeaders = (link: string) => ({ 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });

  return {
    async replyPosted(request) {
      const user = await findUserById(deps.db, request.recipientId);
      if (!user) return 'unknown_user';
      if (!user.notify_replies) return 'not_wanted';
      if (!confirmedAddress(user)) return 'no_address';
      const unsubscribeLink = deps.mailer.link('/auth/pages/unsubscribe', deps.tokens.sign(user.id, 'replies'));
      const before = await deps.db.selectFrom('mail_outbox').select('id').where('dedupe_key', '=', `reply:${request.replyId}:${user.id}`).executeTakeFirst();
      if (before) return 'duplicate';
      await deps.mailer.queue(
        deps.db,
        user.email,
        pickLocale(user.locale),
        {
          kind: 'reply',
          displayName: user.display_name,
          replierName: request.replierName,
          articleTitle: request.articleTitle,
          excerpt: request.excerpt,
          link: request.articleUrl,
          unsubscribeLink,
        },
        {
          headers: unsubscribeHeaders(unsubscribeLink),
          dedupeKey: `reply:${request.replyId}:${user.id}`,
        },
      );
      deps.mailer.kick();
      return 'queued';
    },

    async digestDue(request) {
      const user = await findUserById(deps.db, request.recipientId);
      if (!user) return 'unknown_user';
      if (!user.notify_follows) return 'not_wanted';
      if (!confirmedAddress(user)) return 'no_address';
      const dedupeKey = `digest:${user.id}:${request.digestKey}`;
      const before = await deps.db.selectFrom('mail_outbox').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst();
      if (before) return 'duplicate';
      const unsubscribeLink = deps.mailer.link('/auth/pages/unsubscribe', deps.tokens.sign(user.id, 'follows'));
      await deps.mailer.queue(
        deps.db,
        user.email,
        pickLocale(user.locale),
        {
          kind: 'follow_digest',
          displayName: user.display_name,
          articleTitle: request.articleTitle,
          comments: request.comments,
          more: request.more,
          link: request.articleUrl,
          unsubscribeLink,
        },
        { headers: unsubscribeHeaders(unsubscribeLink), dedupeKey },
      );
      deps.mailer.kick();
      return 'queued';
    },

    async queueChanged(request) {
      const staff = await deps.db
        .selectFrom('users')
        .selectAll()
        .where('notify_queue', '=', true)
        .where('role', 'in', ['moderator', 'admin'])
        .execute();
      let queued = 0;
      for (const user of staff) {
        const sites = request.sites.filter((site) => user.role === 'admin' || user.moderated_sites.includes('*') || user.moderated_sites.includes(site.siteId));
        if (sites.length === 0 || !confirmedAddress(user)) continue;
        const dedupeKey = `queue:${user.id}:${request.windowKey}`;
        const before = await deps.db.selectFrom('mail_outbox').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst();
        if (before) continue;
        const unsubscribeLink = deps.mailer.link('/auth/pages/unsubscribe', deps.tokens.sign(user.id, 'queue'));
        await deps.mailer.queue(
          deps.db,
          user.email,
          pickLocale(user.locale),
          {
            kind: 'queue_digest',
            displayName: user.display_name,
            sites: sites.map((site) => ({ name: site.siteName || site.siteId, items: site.newItems })),
            // The console beside the link pages, under PUBLIC_URL (whatever its path).
            link: `${unsubscribeLink.slice(0, unsubscribeLink.indexOf('/auth/pages/unsubscribe'))}/moderate`,
            unsubscribeLink,
          },
          { headers: unsubscribeHeaders(unsubscribeLink), dedupeKey },
        );
        queued += 1;
      }
      if (queued > 0) deps.mailer.kick();
      return { queued };
    },

    async settings(userId) {
      return presentSettings(await find(userId));
    },

    async update(userId, settings) {
      const user = await find(userId);
      if (settings.queue !== undefined && !isStaff(user.role)) throw forbidden('Only moderators and admins have a moderation queue to be mailed about.');
      const changed = await deps.db
        .updateTable('users')
        .set({
          ...(settings.replies === undefined ? {} : { notify_replies: settings.replies }),
          ...(settings.follows === undefined ? {} : { notify_follows: settings.follows }),
          ...(settings.queue === undefined ? {} : { notify_queue: settings.queue }),
        })
        .where('id', '=', userId)
        .returningAll()
        .executeTakeFirst();
      return presentSettings(changed ?? user);
    },

    async checkUnsubscribe(token) {
      const verified = deps.tokens.verify(token);
      if (!verified) return undefined;
      const user = await findUserById(deps.db, verified.userId);
      return user ? { locale: pickLocale(user.locale), topic: verified.topic } : undefined;
    },

    async unsubscribe(token) {
      const verified = deps.tokens.verify(token);
      if (!verified) return undefined;
      const user = await deps.db
        .updateTable('users')
        .set({ [topicColumns[verified.topic]]: false })
        .where('id', '=', verified.userId)
        .returning(['locale'])
        .executeTakeFirst();
      return user ? { locale: pickLocale(user.locale), topic: verified.topic } : undefined;
    },
  };
}
