import { escapeHtml, type MailLocale } from '@parley/mail';
import type { LinkOutcome } from './email-links.service';

/** The pages a mailed link opens: what happened, in the reader's language, with nothing to run. */
type PageKind = 'verify' | 'reset' | 'change';

const text = {
  en: {
    title: { verify: 'Email confirmation', reset: 'Reset your password', change: 'New email address' },
    ok: { verify: 'Thank you: your email address is confirmed. You can close this page and return to the discussion.', reset: 'Your password is changed. Every session was logged out: log in again with the new password.', change: 'Done: your account now uses the new email address.' },
    invalid: 'This link is not valid. Check that it was copied whole, or ask for a new one.',
    expired: 'This link has expired. Ask for a new one where you asked for this one.',
    used: 'This link was already used. If you still need it, ask for a new one.',
    email_taken: 'Another account already uses this email address, so it could not be changed.',
    newPassword: 'New password',
    passwordHint: 'At least 10 characters.',
    save: 'Set the password',
    tooCommon: 'This password is one of the most common ones; choose one that is harder to guess.',
    tooShort: 'The password must be 10 to 256 characters long.',
    unsubscribeTitle: 'Mail about replies',
    unsubscribeAsk: 'Stop sending me mail when someone replies to my comments?',
    unsubscribeButton: 'Unsubscribe',
    unsubscribed: 'Done: you will get no more mail about replies. You can turn it back on in your account settings.',
    follows: {
      title: 'Mail about discussions you follow',
      ask: 'Stop sending me digests of the discussions I follow?',
      done: 'Done: you will get no more mail about the discussions you follow. You can turn it back on in your account settings.',
    },
    queue: {
      title: 'Mail about the moderation queue',
      ask: 'Stop sending me mail about new items in my moderation queue?',
      done: 'Done: you will get no more mail about your moderation queue. You can turn it back on in the console.',
    },
  },
  ru: {
    title: { verify: 'Подтверждение адреса', reset: 'Сброс пароля', change: 'Новый адрес почты' },
    ok: { verify: 'Спасибо: ваш адрес подтверждён. Эту страницу можно закрыть и вернуться к обсуждению.', reset: 'Пароль изменён. Все сеансы завершены: войдите снова с новым паролем.', change: 'Готово: теперь ваш аккаунт использует новый адрес.' },
    invalid: 'Эта ссылка недействительна. Проверьте, что она скопирована целиком, или запросите новую.',
    expired: 'Срок действия ссылки истёк. Запросите новую там же, где запрашивали эту.',
    used: 'Эта ссылка уже использована. Если она всё ещё нужна, запросите новую.',
    email_taken: 'Этот адрес уже использует другой аккаунт, поэтому его нельзя изменить.',
    newPassword: 'Новый пароль',
    passwordHint: 'Не короче 10 символов.',
    save: 'Сохранить пароль',
    tooCommon: 'Этот пароль слишком распространён; выберите тот, который сложнее угадать.',
    tooShort: 'Пароль должен быть длиной от 10 до 256 символов.',
    unsubscribeTitle: 'Письма об ответах',
    unsubscribeAsk: 'Больше не присылать писем, когда кто-то отвечает на мои комментарии?',
    unsubscribeButton: 'Отписаться',
    unsubscribed: 'Готово: писем об ответах больше не будет. Их можно снова включить в настройках аккаунта.',
    follows: {
      title: 'Письма об обсуждениях, за которыми вы следите',
      ask: 'Больше не присылать сводки обсуждений, за которыми я слежу?',
      done: 'Готово: писем об обсуждениях, за которыми вы следите, больше не будет. Их можно снова включить в настройках аккаунта.',
    },
    queue: {
      title: 'Письма об очереди модерации',
      ask: 'Больше не присылать писем о новых элементах в моей очереди модерации?',
      done: 'Готово: писем об очереди модерации больше не будет. Их можно снова включить в консоли.',
    },
  },
} as const;

/** Only inline styles, no script: the page sets its own CSP. */
export const pageSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

function page(locale: MailLocale, title: string, body: string, status: 'ok' | 'error' | 'form'): string {
  return `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)} · Parley</title>
<style>body{font-family:system-ui,sans-serif;max-width:520px;margin:3rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
.ok{color:#0a6b2d}.error{color:#a50e0e}label{display:block;margin:1rem 0 .25rem;font-weight:600}input{font:inherit;padding:.5rem;width:100%;box-sizing:border-box}
button{font:inherit;margin-top:1rem;padding:.5rem 1rem;background:#0b57d0;color:#fff;border:0;border-radius:6px}.hint{font-size:.9em;color:#555}</style></head>
<body><main data-outcome="${status}"><h1>${escapeHtml(title)}</h1>${body}</main></body></html>`;
}

export function linkOutcomePage(kind: PageKind, outcome: LinkOutcome, locale: MailLocale): string {
  const t = text[locale];
  const message = outcome === 'ok' ? t.ok[kind] : t[outcome];
  return page(locale, t.title[kind], `<p class="${outcome === 'ok' ? 'ok' : 'error'}" role="status">${escapeHtml(message)}</p>`, outcome === 'ok' ? 'ok' : 'error');
}

/** The new-password form of a working reset link; `problem` after a refused password. */
export function resetFormPage(token: string, locale: MailLocale, problem?: 'tooCommon' | 'tooShort'): string {
  const t = text[locale];
  return page(
    locale,
    t.title.reset,
    `${problem ? `<p class="error" role="alert">${escapeHtml(t[problem])}</p>` : ''}
<form method="post" action="/auth/pages/reset-password">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<label for="password">${escapeHtml(t.newPassword)}</label>
<input id="password" name="password" type="password" autocomplete="new-password" minlength="10" maxlength="256" required>
<p class="hint">${escapeHtml(t.passwordHint)}</p>
<button type="submit">${escapeHtml(t.save)}</button>
</form>`,
    'form',
  );
}

/** An unsubscribe link: a button first (link scanners only GET), then the outcome. */
export function unsubscribePage(locale: MailLocale, state: 'confirm' | 'done' | 'invalid', token = '', topic: 'replies' | 'follows' | 'queue' = 'replies'): string {
  const t = text[locale];
  const words = topic === 'replies' ? { title: t.unsubscribeTitle, ask: t.unsubscribeAsk, done: t.unsubscribed } : t[topic];
  if (state === 'invalid') return page(locale, t.unsubscribeTitle, `<p class="error" role="status">${escapeHtml(t.invalid)}</p>`, 'error');
  if (state === 'done') return page(locale, words.title, `<p class="ok" role="status">${escapeHtml(words.done)}</p>`, 'ok');
  return page(
    locale,
    words.title,
    `<p>${escapeHtml(words.ask)}</p>
<form method="post" action="/auth/pages/unsubscribe?token=${encodeURIComponent(token)}"><button type="submit">${escapeHtml(t.unsubscribeButton)}</button></form>`,
    'form',
  );
}
