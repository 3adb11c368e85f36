import type { MyComment, MyCommentsPage, MyDataResponse, NotificationSettings, ReplyReceivedEvent, User } from '@parley/contracts';
import { accountMessages } from '../locales/account';
import type { Discussion } from './discussion';
import type { h as H, replaceChildren as Replace, uid as Uid } from './dom';
import type { errorMessage as ErrorMessage } from './errors';

/**
 * The widget's DOM helpers, handed in rather than imported: this file is a chunk of its own
 * (loaded on demand), and importing them would split them out of widget.js into a shared chunk.
 */
export interface PanelTools {
  h: typeof H;
  replaceChildren: typeof Replace;
  uid: typeof Uid;
  errorMessage: typeof ErrorMessage;
}

/**
 * "My account" (issue 16), opened from the account line: display name and password (a publisher's
 * reader is told the publisher manages them), mail about replies and followed discussions, my
 * comments on this site, download my data, delete my account; and "Forgot password?" under the
 * login form. All through the public API.
 */
export function openAccountPanel(d: Discussion, tools: PanelTools): void {
  const { h, replaceChildren, uid } = tools;
  const { api, i18n, session, ui } = d;
  const words = accountMessages[i18n.lang];
  const t = (key: Exclude<keyof typeof words, 'acctReplyBadge'> | 'password') => (key === 'password' ? i18n.t(key) : words[key]);
  const user = session.user;
  if (!user) return;
  const status = h('p', { role: 'status' });
  const fail = failInto(d, status, tools);
  const call = <T>(path: string, method = 'GET', body?: unknown) => api.authorized<T>(path, { method, body, auth: 'required' });
  const own = !user.provider || user.provider === 'parley';
  const field = (label: string, input: HTMLInputElement) => h('p', {}, h('label', { for: input.id }, label), ' ', input);
  const submit = (form: HTMLFormElement, run: () => Promise<unknown>, done: string) =>
    (form.onsubmit = (event) => {
      event.preventDefault();
      status.textContent = '';
      void run().then(() => (status.textContent = done), fail);
    });

  // A new name: auth first; a refreshed token then carries it, and comments signs the earlier ones with it.
  const name = h('input', { id: uid('n'), value: user.displayName, required: true, maxlength: 50 });
  const nameForm = h('form', {}, field(i18n.t('displayName'), name), h('button', { type: 'submit' }, t('acctNameSave')));
  submit(
    nameForm,
    async () => {
      const { user: renamed } = await call<{ user: User }>('/auth/me', 'PATCH', { displayName: name.value });
      await session.refresh();
      const line = ui.account.querySelector('span');
      if (line) line.textContent = i18n.t('signedInAs', { name: renamed.displayName });
      await call('/api/me/name', 'POST');
    },
    t('acctNameSaved'),
  );
  const current = h('input', { type: 'password', id: uid('c'), required: true, autocomplete: 'current-password' });
  const fresh = h('input', { type: 'password', id: uid('w'), required: true, minlength: 10, autocomplete: 'new-password' });
  const passwordForm = h('form', {}, field(t('acctCurrent'), current), field(t('acctNew'), fresh), h('button', { type: 'submit' }, t('acctPasswordSave')));
  submit(
    passwordForm,
    () => call('/auth/me/password', 'POST', { currentPassword: current.value, newPassword: fresh.value }).then(() => (current.value = fresh.value = '')),
    t('acctPasswordSaved'),
  );

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

  // My comments on this site, newest first, ten at a time.
  const mine = h('ol', { class: 'my-comments' });
  const more = h('button', { type: 'button', hidden: true }, i18n.t('loadMore'));
  let cursor: string | null = null;
  const nextPage = () => {
    more.hidden = true;
    const query = new URLSearchParams({ site: d.site, limit: '10' });
    if (cursor) query.set('cursor', cursor);
    void call<MyCommentsPage>(`/api/me/comments?${query}`).then((page) => {
      for (const c of page.comments) mine.append(myComment(d, c, tools));
      if (!mine.firstChild) mine.append(h('li', {}, words.acctMineNone));
      cursor = page.nextCursor;
      more.hidden = !cursor;
    }, fail);
  };
  more.onclick = nextPage;
  nextPage();

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
    h('p', {}, radio('anonymize', 'acctKeep'), ' ', radio('remove', 'acctRemove')),
    own && h('p', {}, h('label', { for: password.id }, t('password')), ' ', password),
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
      // A publisher's reader: name and sign-in are the publisher's (ADR 0011).
      own ? nameForm : h('p', {}, user.displayName, ' — ', i18n.error('managed_by_publisher')),
      own && passwordForm,
      h('p', {}, replies, ' ', h('label', { for: replies.id }, t('acctReplies'))),
      h('p', {}, follows, ' ', h('label', { for: follows.id }, t('acctFollows'))),
      h('h3', {}, t('acctMine')),
      mine,
      more,
      h('p', {}, h('button', { type: 'button', onclick: () => void download() }, t('acctDownload'))),
      form,
      status,
    ),
  );
}

/**
 * One of the reader's comments: its article (the link opens the comment by its permalink, in place
 * when it is this article), when, the start of its text, and its state unless published.
 */
function myComment(d: Discussion, c: MyComment, { h }: PanelTools): HTMLElement {
  const { i18n } = d;
  const anchor = `#comment-${c.id}`;
  const here = c.site === d.site && c.article === d.articleKey;
  const url = c.articleUrl && /^https?:/.test(c.articleUrl) ? c.articleUrl.replace(/#.*/, '') + anchor : here ? anchor : null;
  const title = c.articleTitle ?? c.article;
  const link = url ? h('a', { href: url }, title) : h('span', {}, title);
  link.onclick = (event) => {
    if (!here || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    location.hash = anchor;
  };
  const state =
    c.status === 'pending' ? i18n.t('pending') : c.status === 'removed' ? i18n.t('removed') + (c.removalReason ? `: ${c.removalReason}` : '') : c.status === 'deleted' ? i18n.t('deleted') : '';
  return h(
    'li',
    { 'data-id': c.id },
    link,
    ' · ',
    h('time', { datetime: c.createdAt, title: i18n.exactTime(c.createdAt) }, i18n.relativeTime(c.createdAt)),
    c.excerpt && h('p', {}, c.excerpt),
    state && h('p', { class: 'gone' }, state),
  );
}

/** Shows an error in the reader's words (a field's problem named). */
const failInto = (d: Discussion, status: HTMLElement, tools: PanelTools) => (error: unknown) => (status.textContent = tools.errorMessage(d.i18n, error));

/** The replies not yet looked at, per discussion, and the badge that counts them. */
const badges = new WeakMap<Discussion, { el: HTMLButtonElement; replies: ReplyReceivedEvent[] }>();

/**
 * "1 new reply to you": someone replied to one of the reader's comments on this site while the
 * page is open. A click goes to the oldest one (in place on this article, through its permalink;
 * else to its article's page) and counts it off.
 */
export function replyBadge(d: Discussion, event: ReplyReceivedEvent, { h }: PanelTools): void {
  let badge = badges.get(d);
  if (!badge) {
    const el = h('button', { type: 'button', class: 'new', 'data-act': 'replies' });
    badge = { el, replies: [] };
    badges.set(d, badge);
    d.ui.account.after(el);
    const { replies } = badge;
    // They were someone's replies: gone when that someone logs out here.
    d.session.onChange((_change, user) => user || ((replies.length = 0), show()));
    el.onclick = () => {
      const next = replies.shift();
      show();
      if (!next) return;
      const anchor = `#comment-${next.commentId}`;
      if (next.article === d.articleKey) location.hash = anchor;
      else if (next.url) location.href = next.url.replace(/#.*/, '') + anchor;
    };
  }
  const { el, replies } = badge;
  const show = () => {
    const forms = accountMessages[d.i18n.lang].acctReplyBadge as Record<string, string>;
    el.hidden = !replies.length;
    el.textContent = `${replies.length} ${forms[new Intl.PluralRules(d.i18n.lang).select(replies.length)] ?? forms.many}`;
  };
  if (!replies.some((reply) => reply.commentId === event.commentId)) replies.push(event);
  show();
}

/** "Send the link again", under a post refused for an unconfirmed email: mails a new confirmation link. */
export function resendButton(d: Discussion, tools: PanelTools): HTMLElement {
  const { h } = tools;
  const words = accountMessages[d.i18n.lang];
  const said = h('span', { role: 'status' });
  const button = h('button', { type: 'button', class: 'link', 'data-act': 'resend-link' }, words.acctResend);
  button.onclick = () => {
    button.replaceWith(said);
    void d.api.authorized('/auth/email/verification', { method: 'POST', auth: 'required' }).then(() => (said.textContent = words.acctLinkSent), failInto(d, said, tools));
  };
  return button;
}

/** "Forgot password?": an email, and the same answer whether or not it has an account. */
export function forgotPasswordForm(d: Discussion, tools: PanelTools): HTMLElement {
  const { h, uid } = tools;
  const { api, i18n } = d;
  const email = h('input', { type: 'email', id: uid('f'), required: true });
  const status = h('p', { role: 'status' });
  const form = h('form', {}, h('label', { for: email.id }, i18n.t('email')), email, h('button', { type: 'submit' }, accountMessages[i18n.lang].acctForgotSend), status);
  form.onsubmit = (event) => {
    event.preventDefault();
    void api.authorized('/auth/password/forgot', { method: 'POST', body: { email: email.value } }).then(() => (status.textContent = accountMessages[i18n.lang].acctForgotSent), failInto(d, status, tools));
  };
  return form;
}
