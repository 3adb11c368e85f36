import type { MyDataResponse, NotificationSettings } from '@parley/contracts';
import type { ErrorCode } from '@parley/contracts';
import { accountMessages } from '../locales/account';
import type { Discussion } from './discussion';
import type { h as H, replaceChildren as Replace, uid as Uid } from './dom';

/**
 * The widget's DOM helpers, handed in rather than imported: this file is a chunk of its own
 * (loaded on demand), and importing them would split them out of widget.js into a shared chunk.
 */
export interface PanelTools {
  h: typeof H;
  replaceChildren: typeof Replace;
  uid: typeof Uid;
}

/**
 * "My account" (issue 16), opened from the account line: mail about replies and followed
 * discussions, download my data,
 * delete my account; and "Forgot password?" under the login form. All through the public API.
 */
export function openAccountPanel(d: Discussion, { h, replaceChildren, uid }: PanelTools): void {
  const { api, i18n, session, ui } = d;
  const words = accountMessages[i18n.lang];
  const t = (key: keyof typeof words | 'password') => (key === 'password' ? i18n.t(key) : words[key]);
  const user = session.user;
  if (!user) return;
  const status = h('p', { role: 'status' });
  const fail = failInto(d, status);
  const call = <T>(path: string, method = 'GET', body?: unknown) => api.authorized<T>(path, { method, body, auth: 'required' });
  const own = !user.provider || user.provider === 'parley';

  // Mail settings: one checkbox each, saved on change.
  const setting = (key: 'replies' | 'follows') => {
    const box = h('input', { type: 'checkbox', id: uid('r'), disabled: true });
    box.onchange = () => void call('/auth/me/notifications', 'PUT', { [key]: box.checked }).catch(fail);
    return box;
  };
  const replies = setting('replies');
  const follows = setting('follows');
  void call<{ notifications: NotificationSettings }>('/auth/me/notifications').then((a) => {
    replies.checked = a.notifications.replies;
    follows.checked = a.notifications.follows;
    replies.disabled = follows.disabled = false;
  }, fail);

  const download = () =>
    Promise.all([call<{ user: unknown }>('/auth/me'), call<MyDataResponse>('/api/me/data')]).then(([me, data]) => {
      const mine = { profile: me.user, notifications: { replies: replies.checked, follows: follows.checked }, ...data };
      const link = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(mine, null, 2)], { type: 'application/json' })), download: 'parley.json' });
      link.click();
    }, fail);

  const password = h('input', { type: 'password', id: uid('p') });
  const radio = (value: string, label: 'acctKeep' | 'acctRemove') => h('label', {}, h('input', { type: 'radio', name: 'mode', value, checked: value === 'anonymize' }), t(label));
  const form = h(
    'form',
    {},
    radio('anonymize', 'acctKeep'),
    radio('remove', 'acctRemove'),
    own && h('label', { for: password.id }, t('password')),
    own && password,
    h('button', { type: 'submit' }, t('acctDelete')),
  );
  form.onsubmit = (event) => {
    event.preventDefault();
    const mode = form.querySelector<HTMLInputElement>(':checked')?.value;
    // Comments first, while the session lives; auth then checks the password and ends it.
    void call('/api/me/erase', 'POST', { comments: mode })
      .then(() => call('/auth/me', 'DELETE', own ? { password: password.value } : {}))
      .then(() => session.logout(), fail);
  };

  replaceChildren(
    ui.auth,
    h(
      'section',
      { class: 'account-panel' },
      h('p', {}, replies, ' ', h('label', { for: replies.id }, t('acctReplies'))),
      h('p', {}, follows, ' ', h('label', { for: follows.id }, t('acctFollows'))),
      h('p', {}, h('button', { type: 'button', onclick: () => void download() }, t('acctDownload'))),
      form,
      status,
    ),
  );
}

/** Shows an error in the reader's words. */
const failInto = (d: Discussion, status: HTMLElement) => (error: unknown) => (status.textContent = d.i18n.error((error as { code?: ErrorCode }).code ?? 'internal_error'));

/** "Forgot password?": an email, and the same answer whether or not it has an account. */
export function forgotPasswordForm(d: Discussion, { h, uid }: PanelTools): HTMLElement {
  const { api, i18n } = d;
  const email = h('input', { type: 'email', id: uid('f'), required: true });
  const status = h('p', { role: 'status' });
  const form = h('form', {}, h('label', { for: email.id }, i18n.t('email')), email, h('button', { type: 'submit' }, accountMessages[i18n.lang].acctForgotSend), status);
  form.onsubmit = (event) => {
    event.preventDefault();
    void api.authorized('/auth/password/forgot', { method: 'POST', body: { email: email.value } }).then(() => (status.textContent = accountMessages[i18n.lang].acctForgotSent), failInto(d, status));
  };
  return form;
}
