import type { ReplyReceivedEvent } from '@parley/contracts';
import type { Discussion } from './discussion';
import { h, replaceChildren, uid } from './dom';
import { errorMessage } from './errors';
import { authForm, composer, type AuthMode, type Composer } from './forms';

/** The account panel's chunk (on demand) and the helpers it is handed rather than importing. */
const panel = () => import('./account-panel');
const tools = { h, replaceChildren, uid, errorMessage };

/**
 * The reader's account line (signed in as …, log out; or log in / register), the login and
 * register form under it, and the compose box at the top of the thread.
 */
export class AccountPanel {
  /** The top-level compose box, while the reader may write. */
  compose: Composer | null = null;
  /** The site's own login (OpenID Connect), once known: its label and what the button does. */
  providerLogin: { label: string; start(): void } | null = null;

  constructor(
    private readonly d: Discussion,
    private readonly deps: { post(body: string, box: Composer): Promise<void> },
  ) {}

  /** A reply to one of the reader's comments on this site: the badge (in the panel's chunk) counts it. */
  replied(event: ReplyReceivedEvent): void {
    if (event.site === this.d.site) void panel().then((p) => p.replyBadge(this.d, event, tools));
  }

  renderAccount(): void {
    const { i18n, session, ui } = this.d;
    const t = i18n.t;
    const user = session.user;
    if (user) {
      replaceChildren(
        ui.account,
        h('span', {}, t('signedInAs', { name: user.displayName })),
        ' ',
        user.badge && h('span', { class: 'badge' }, user.badge),
        user.badge && ' ',
        h('button', { type: 'button', class: 'link', 'data-act': 'account', onclick: () => void panel().then((p) => p.openAccountPanel(this.d, tools)) }, t('acctOpen')),
        ' ',
        h('button', { type: 'button', class: 'link', onclick: () => void session.logout() }, t('logOut')),
      );
      replaceChildren(ui.auth);
    } else {
      replaceChildren(
        ui.account,
        h('span', {}, t('participate')),
        ' ',
        h('button', { type: 'button', class: 'link', 'data-act': 'login', onclick: () => this.openAuth('login') }, t('logIn')),
        ' ',
        h('span', {}, t('or')),
        ' ',
        h('button', { type: 'button', class: 'link', 'data-act': 'register', onclick: () => this.openAuth('register') }, t('register')),
        this.providerLogin && ' ',
        this.providerLogin && h('button', { type: 'button', class: 'link', 'data-act': 'provider-login', onclick: () => this.providerLogin?.start() }, this.providerLogin.label),
      );
    }
    this.renderCompose();
  }

  renderCompose(): void {
    const { i18n, session, store, ui } = this.d;
    const writable = !!session?.user && !!store.article && this.d.writable();
    if (!writable) {
      // A draft is never thrown away: the box stays, read-only, while the reader cannot post (banned,
      // or the article closed) and comes back to life if that changes.
      if (session?.user && this.compose?.textarea.value.trim()) return this.compose.setDisabled(true);
      this.compose = null;
      replaceChildren(ui.composeSlot);
      return;
    }
    if (this.compose) {
      this.compose.setDisabled(false);
      return;
    }
    const box = composer(i18n, this.d.api, {
      placeholder: i18n.t('composePlaceholder'),
      submitLabel: i18n.t('post'),
      onSubmit: (body) => this.deps.post(body, box),
    });
    this.compose = box;
    replaceChildren(ui.composeSlot, box.form);
  }

  openAuth(mode: AuthMode): void {
    const { i18n, session, ui } = this.d;
    const form = authForm(i18n, {
      mode,
      switchMode: (next) => this.openAuth(next),
      cancel: () => {
        replaceChildren(ui.auth);
        ui.account.querySelector<HTMLElement>(`[data-act=${mode}]`)?.focus();
      },
      submit: async ({ email, password, displayName }) => {
        if (mode === 'register') await session.register(email, password, displayName);
        else await session.login(email, password);
      },
    });
    const forgot = mode === 'login' && h('button', { type: 'button', class: 'link', onclick: () => void panel().then((p) => replaceChildren(ui.auth, p.forgotPasswordForm(this.d, tools))) }, i18n.t('acctForgot'));
    replaceChildren(ui.auth, form, forgot);
    form.querySelector('input')?.focus();
  }
}
