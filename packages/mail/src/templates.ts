import { escapeHtml } from './html';
import type { MailLocale } from './locale';

/** What a mail says, filled in by the service that sends it. Every value is plain text; templates escape it. */
export type MailTemplate =
  | { kind: 'verify_email'; displayName: string; link: string; hours: number }
  | { kind: 'password_reset'; displayName: string; link: string; minutes: number }
  | { kind: 'email_change'; displayName: string; link: string; newEmail: string; hours: number }
  /** `otherSessions`: changed from a logged-in session, which goes on (the account's other sessions end). */
  | { kind: 'password_changed'; displayName: string; otherSessions?: boolean }
  | { kind: 'reply'; displayName: string; replierName: string; articleTitle: string; excerpt: string; link: string | undefined; unsubscribeLink: string }
  | {
      kind: 'follow_digest';
      displayName: string;
      articleTitle: string;
      comments: readonly { authorName: string; excerpt: string }[];
      /** New comments beyond those quoted. */
      more: number;
      link: string | undefined;
      unsubscribeLink: string;
    }
  | { kind: 'queue_digest'; displayName: string; sites: readonly { name: string; items: number }[]; link: string; unsubscribeLink: string };

export type MailKind = MailTemplate['kind'];

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

interface Parts {
  subject: string;
  greeting: string;
  lines: string[];
  action?: { label: string; link: string };
  footer: string;
  /** Plain text quoted as it is (a reply's excerpt). */
  quote?: string;
  /** Several quotes, each under its author's name (a digest). */
  quotes?: readonly { by: string; text: string }[];
  /** A line after the quotes. */
  after?: string;
  unsubscribe?: { label: string; link: string };
}

type Copy = { [K in MailKind]: (t: Extract<MailTemplate, { kind: K }>) => Parts };

const en: Copy = {
  verify_email: (t) => ({
    subject: 'Confirm your email address',
    greeting: `Hello ${t.displayName},`,
    lines: ['Thanks for joining the discussion. Please confirm that this address is yours.', `The link works for ${t.hours} hours.`],
    action: { label: 'Confirm my email', link: t.link },
    footer: 'If you did not create an account, ignore this message.',
  }),
  password_reset: (t) => ({
    subject: 'Reset your password',
    greeting: `Hello ${t.displayName},`,
    lines: ['Someone (hopefully you) asked to reset the password of your account.', `The link works once, for ${t.minutes} minutes.`],
    action: { label: 'Choose a new password', link: t.link },
    footer: 'If you did not ask for this, ignore this message: your password stays as it is.',
  }),
  email_change: (t) => ({
    subject: 'Confirm your new email address',
    greeting: `Hello ${t.displayName},`,
    lines: [`You asked to use ${t.newEmail} for your account.`, `The link works for ${t.hours} hours.`],
    action: { label: 'Use this address', link: t.link },
    footer: 'If you did not ask for this, ignore this message: nothing changes.',
  }),
  password_changed: (t) => ({
    subject: 'Your password was changed',
    greeting: `Hello ${t.displayName},`,
    lines: [t.otherSessions ? 'The password of your account was just changed, and every other session was logged out.' : 'The password of your account was just changed, and every session was logged out.'],
    footer: 'If this was not you, reset your password now and tell the site’s moderators.',
  }),
  reply: (t) => ({
    subject: `${t.replierName} replied to your comment`,
    greeting: `Hello ${t.displayName},`,
    lines: [`${t.replierName} replied to your comment on “${t.articleTitle}”:`],
    quote: t.excerpt,
    ...(t.link ? { action: { label: 'Read the reply', link: t.link } } : {}),
    footer: 'You get this mail because someone replied to one of your comments.',
    unsubscribe: { label: 'Stop mail about replies', link: t.unsubscribeLink },
  }),
  follow_digest: (t) => ({
    subject: `New comments on “${t.articleTitle}”`,
    greeting: `Hello ${t.displayName},`,
    lines: [`New comments in a discussion you follow, “${t.articleTitle}”:`],
    quotes: t.comments.map((c) => ({ by: `${c.authorName} wrote:`, text: c.excerpt })),
    ...(t.more > 0 ? { after: `…and ${t.more} more.` } : {}),
    ...(t.link ? { action: { label: 'Read the discussion', link: t.link } } : {}),
    footer: 'You get this mail because you follow this discussion; its new comments are gathered into one mail now and then.',
    unsubscribe: { label: 'Stop mail about discussions I follow', link: t.unsubscribeLink },
  }),
  queue_digest: (t) => ({
    subject: 'New items in your moderation queue',
    greeting: `Hello ${t.displayName},`,
    lines: ['Comments are waiting for a moderator (held for review, or reported):', ...t.sites.map((site) => `${site.name}: ${site.items} new`)],
    action: { label: 'Open the moderation console', link: t.link },
    footer: 'You get this mail because you asked for mail about your moderation queue.',
    unsubscribe: { label: 'Stop mail about the moderation queue', link: t.unsubscribeLink },
  }),
};

const ru: Copy = {
  verify_email: (t) => ({
    subject: 'Подтвердите адрес электронной почты',
    greeting: `Здравствуйте, ${t.displayName}!`,
    lines: ['Спасибо, что присоединились к обсуждению. Подтвердите, пожалуйста, что это ваш адрес.', `Ссылка действует ${t.hours} ч.`],
    action: { label: 'Подтвердить адрес', link: t.link },
    footer: 'Если вы не создавали аккаунт, просто проигнорируйте это письмо.',
  }),
  password_reset: (t) => ({
    subject: 'Сброс пароля',
    greeting: `Здравствуйте, ${t.displayName}!`,
    lines: ['Кто-то (надеемся, вы) попросил сбросить пароль вашего аккаунта.', `Ссылка одноразовая и действует ${t.minutes} минут.`],
    action: { label: 'Задать новый пароль', link: t.link },
    footer: 'Если вы этого не просили, проигнорируйте письмо: пароль останется прежним.',
  }),
  email_change: (t) => ({
    subject: 'Подтвердите новый адрес электронной почты',
    greeting: `Здравствуйте, ${t.displayName}!`,
    lines: [`Вы попросили использовать адрес ${t.newEmail} для своего аккаунта.`, `Ссылка действует ${t.hours} ч.`],
    action: { label: 'Использовать этот адрес', link: t.link },
    footer: 'Если вы этого не просили, проигнорируйте письмо: ничего не изменится.',
  }),
  password_changed: (t) => ({
    subject: 'Ваш пароль изменён',
    greeting: `Здравствуйте, ${t.displayName}!`,
    lines: [t.otherSessions ? 'Пароль вашего аккаунта только что изменён, все остальные сеансы завершены.' : 'Пароль вашего аккаунта только что изменён, все сеансы завершены.'],
    footer: 'Если это были не вы, сбросьте пароль и сообщите модераторам сайта.',
  }),
  reply: (t) => ({
    subject: `${t.replierName} ответил(а) на ваш комментарий`,
    greeting: `Здравствуйте, ${t.displayName}!`,
    lines: [`${t.replierName} ответил(а) на ваш комментарий к материалу «${t.articleTitle}»:`],
    quote: t.excerpt,
    ...(t.link ? { action: { label: 'Прочитать ответ', link: t.link } } : {}),
    footer: 'Вы получили это письмо, потому что кто-то ответил на ваш комментарий.',
    unsubscribe: { label: 'Не присылать письма об ответах', link: t.unsubscribeLink },
  }),
  follow_digest: (t) => ({
    subject: `Новые комментарии: «${t.articleTitle}»`,
    greeting: `Здравствуйте, ${t.displayName}!`,
    lines: [`Новые комментарии в обсуждении, за которым вы следите, — «${t.articleTitle}»:`],
    quotes: t.comments.map((c) => ({ by: `${c.authorName} пишет:`, text: c.excerpt })),
    ...(t.more > 0 ? { after: `…и ещё ${t.more}.` } : {}),
    ...(t.link ? { action: { label: 'Открыть обсуждение', link: t.link } } : {}),
    footer: 'Вы получили это письмо, потому что следите за этим обсуждением; новые комментарии собираются в одно письмо.',
    unsubscribe: { label: 'Не присылать письма об обсуждениях, за которыми я слежу', link: t.unsubscribeLink },
  }),
  queue_digest: (t) => ({
    subject: 'Новое в вашей очереди модерации',
    greeting: `Здравствуйте, ${t.displayName}!`,
    lines: ['Комментарии ждут модератора (на проверке или с жалобами):', ...t.sites.map((site) => `${site.name}: новых — ${site.items}`)],
    action: { label: 'Открыть консоль модерации', link: t.link },
    footer: 'Вы получили это письмо, потому что попросили присылать письма об очереди модерации.',
    unsubscribe: { label: 'Не присылать письма об очереди модерации', link: t.unsubscribeLink },
  }),
};

const copies: Record<MailLocale, Copy> = { en, ru };

/** One mail in plain text and HTML, in the reader's language. */
export function renderMail(template: MailTemplate, locale: MailLocale): RenderedMail {
  const copy = copies[locale][template.kind] as (t: MailTemplate) => Parts;
  const parts = copy(template);
  const text = [
    parts.greeting,
    '',
    ...parts.lines,
    ...(parts.quote ? ['', ...parts.quote.split('\n').map((line) => `> ${line}`)] : []),
    ...(parts.quotes ?? []).flatMap((quote) => ['', quote.by, ...quote.text.split('\n').map((line) => `> ${line}`)]),
    ...(parts.after ? ['', parts.after] : []),
    ...(parts.action ? ['', `${parts.action.label}: ${parts.action.link}`] : []),
    '',
    parts.footer,
    ...(parts.unsubscribe ? [`${parts.unsubscribe.label}: ${parts.unsubscribe.link}`] : []),
    '',
  ].join('\n');
  const html = [
    `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${escapeHtml(parts.subject)}</title></head>`,
    '<body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1a1a1a;max-width:560px">',
    `<p>${escapeHtml(parts.greeting)}</p>`,
    ...parts.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(parts.quote ? [`<blockquote style="margin:0;padding:8px 12px;border-left:3px solid #ccc;color:#333;white-space:pre-wrap">${escapeHtml(parts.quote)}</blockquote>`] : []),
    ...(parts.quotes ?? []).flatMap((quote) => [
      `<p style="margin:16px 0 4px"><strong>${escapeHtml(quote.by)}</strong></p>`,
      `<blockquote style="margin:0;padding:8px 12px;border-left:3px solid #ccc;color:#333;white-space:pre-wrap">${escapeHtml(quote.text)}</blockquote>`,
    ]),
    ...(parts.after ? [`<p>${escapeHtml(parts.after)}</p>`] : []),
    ...(parts.action
      ? [
          `<p><a href="${escapeHtml(parts.action.link)}" style="display:inline-block;padding:10px 16px;background:#0b57d0;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(parts.action.label)}</a></p>`,
          `<p style="font-size:13px;color:#555">${escapeHtml(parts.action.link)}</p>`,
        ]
      : []),
    `<p style="font-size:13px;color:#555">${escapeHtml(parts.footer)}</p>`,
    ...(parts.unsubscribe ? [`<p style="font-size:13px"><a href="${escapeHtml(parts.unsubscribe.link)}">${escapeHtml(parts.unsubscribe.label)}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: parts.subject, text, html };
}
