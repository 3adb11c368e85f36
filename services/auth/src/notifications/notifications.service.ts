import type { Kysely } from 'kysely';
import type { NotificationSettings, ReplyNotificationRequest } from '@parley/contracts';
import { pickLocale, type MailLocale } from '@parley/mail';
import { invalidToken } from '@parley/platform';
import { findUserById } from '../accounts/accounts.repository';
import type { AuthDatabase } from '../database/tables';
import type { Mailer } from '../mail/mailer';
import type { UnsubscribeTokens } from './unsubscribe-tokens';

export interface NotificationsDeps {
  db: Kysely<AuthDatabase>;
  mailer: Mailer;
  tokens: UnsubscribeTokens;
}

export type ReplyOutcome = 'queued' | 'duplicate' | 'not_wanted' | 'no_address' | 'unknown_user';

export interface NotificationsService {
  /** Mails the author of a comment that got a reply, if they want it and their address is confirmed. */
  replyPosted(request: ReplyNotificationRequest): Promise<ReplyOutcome>;
  settings(userId: string): Promise<NotificationSettings>;
  update(userId: string, settings: NotificationSettings): Promise<NotificationSettings>;
  /** Follows a signed unsubscribe link; undefined when the token is not one of ours. */
  unsubscribe(token: string): Promise<{ locale: MailLocale } | undefined>;
  /** Whether a token is valid (the confirmation page), and the account's language. */
  checkUnsubscribe(token: string): Promise<{ locale: MailLocale } | undefined>;
}

export function notificationsService(deps: NotificationsDeps): NotificationsService {
  async function find(userId: string) {
    const user = await findUserById(deps.db, userId);
    if (!user) throw invalidToken('The account this token belongs to no longer exists.');
    return user;
  }

  return {
    async replyPosted(request) {
      const user = await findUserById(deps.db, request.recipientId);
      if (!user) return 'unknown_user';
      if (!user.notify_replies) return 'not_wanted';
      // Never to an address nobody confirmed: someone could register with a stranger's email and
      // have replies mail them. A publisher's reader's address is the publisher's, used as given.
      const confirmed = user.password_hash === null ? user.email.includes('@') : user.email_verified_at !== null;
      if (!confirmed) return 'no_address';
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
          // RFC 8058: mail clients offer "unsubscribe" and POST `List-Unsubscribe=One-Click` to it.
          headers: { 'List-Unsubscribe': `<${unsubscribeLink}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
          dedupeKey: `reply:${request.replyId}:${user.id}`,
        },
      );
      deps.mailer.kick();
      return 'queued';
    },

    async settings(userId) {
      const user = await find(userId);
      return { replies: user.notify_replies };
    },

    async update(userId, settings) {
      await find(userId);
      await deps.db.updateTable('users').set({ notify_replies: settings.replies }).where('id', '=', userId).execute();
      return settings;
    },

    async checkUnsubscribe(token) {
      const verified = deps.tokens.verify(token);
      if (!verified) return undefined;
      const user = await findUserById(deps.db, verified.userId);
      return user ? { locale: pickLocale(user.locale) } : undefined;
    },

    async unsubscribe(token) {
      const verified = deps.tokens.verify(token);
      if (!verified) return undefined;
      const user = await deps.db.updateTable('users').set({ notify_replies: false }).where('id', '=', verified.userId).returning(['locale']).executeTakeFirst();
      return user ? { locale: pickLocale(user.locale) } : undefined;
    },
  };
}
