import type { ThreadSort, ThreadViewer } from '@parley/contracts';
import { createApi, type Api, type LoadedPage } from '../api';
import { createI18n, pickLang, type I18n } from '../i18n';
import type { LiveConnection } from '../live';
import type { Session } from '../session';
import { ThreadStore } from '../thread-store';
import { AccountPanel } from './account';
import { CommentActions } from './comment-actions';
import type { CommentHandlers } from './comment-view';
import type { Discussion } from './discussion';
import { h, replaceChildren } from './dom';
import { errorMessage } from './errors';
import { finishRedirectLogin, loginWithProvider, oidcLoginOption } from './oidc-login';
import { registerWidget, sessionFor } from './page-session';
import { buildSkeleton, type Skeleton } from './skeleton';
import { ThreadView } from './thread-view';

/** Where the widget came from: BASE/widget/widget.js → BASE/. */
const bundleBase = new URL('../', import.meta.url).href;

/**
 * `<parley-comments site="…" article="…">`: the discussion of one article, rendered into Shadow DOM.
 * Pure state lives in ThreadStore; this class reads the attributes, wires the parts together on
 * connect (ThreadView: store → DOM; CommentActions and AccountPanel: user input → calls), loads
 * the thread, keeps it live and follows the session.
 */
export class ParleyComments extends HTMLElement {
  /** `sso-token`: a publisher's sign-on token for the reader, exchanged for a session (docs/publishers.md). */
  static readonly observedAttributes = ['sso-token'];

  private root!: ShadowRoot;
  private i18n!: I18n;
  private api!: Api;
  private session!: Session;
  private store = new ThreadStore();
  private live: LiveConnection | null = null;
  private cleanups: (() => void)[] = [];
  private editExpired = new Set<string>();
  private started = false;
  private site = '';
  private articleKey = '';
  private articleTitle: string | null = null;
  /** The reader's ban on this site as the server last said (null: not banned). */
  private ban: ThreadViewer['ban'] = null;
  private banTimer: ReturnType<typeof setTimeout> | undefined;
  private offlineTimer: ReturnType<typeof setTimeout> | undefined;
  private reasonTimer: ReturnType<typeof setTimeout> | undefined;
  /** Seconds a comment stays editable on this site (from the viewer route; undefined: not known). */
  private editWindow: number | undefined;
  private ui!: Skeleton;
  private thread!: ThreadView;
  private actions!: CommentActions;
  private account!: AccountPanel;

  connectedCallback(): void {
    if (this.started) return;
    this.started = true;
    this.site = this.getAttribute('site') ?? '';
    this.articleKey = this.getAttribute('article') ?? '';
    // `title` is the article's title for Parley, not a tooltip over the whole discussion.
    if (this.hasAttribute('title')) {
      this.articleTitle = this.getAttribute('title');
      this.removeAttribute('title');
    }
    const baseUrl = this.getAttribute('base') ?? bundleBase;
    this.i18n = createI18n(pickLang(this.getAttribute('lang'), document.documentElement.lang));
    this.root ??= this.attachShadow({ mode: 'open' });
    const { session, restored } = sessionFor(baseUrl);
    this.session = session;
    const signOnToken = this.takeSignOnToken();
    this.api = createApi({ baseUrl, fetch: (input, init) => fetch(input, init), session });
    this.store = new ThreadStore();
    this.buildParts();
    if (!this.site || !this.articleKey) {
      this.ui.status.textContent = this.i18n.t('loadFailed');
      return;
    }
    this.cleanups.push(
      this.store.subscribe((change) => {
        this.thread.onStoreChange(change);
        // The reader's own comment removed live: the event is public and has no reason; their own part
        // has. A burst (all of a user's comments removed at once) makes one request.
        if (change.kind === 'comment' && change.ownRemoved) {
          clearTimeout(this.reasonTimer);
          this.reasonTimer = setTimeout(() => {
            void this.api.viewer(this.site, this.articleKey).then(({ removed }) => {
              for (const { id, reason } of removed ?? []) this.store.patch(id, { removalReason: reason });
            }, () => {});
          }, 100);
        }
      }),
      session.onChange((change) => this.onSessionChange(change)),
      registerWidget(this.site, baseUrl),
    );
    // Each minute: relative times, and Edit taken off the reader's comments whose window closed.
    const ticker = setInterval(() => {
      this.thread.refreshTimes();
      if (this.editWindow !== undefined && this.session.user) this.thread.renderEveryComment();
    }, 60_000);
    const onHash = () => void this.openPermalink();
    window.addEventListener('hashchange', onHash);
    this.cleanups.push(() => clearInterval(ticker), () => window.removeEventListener('hashchange', onHash));
    this.offerProviderLogin(baseUrl);
    void restored
      .then(() => (signOnToken ? this.signOn(signOnToken) : this.signedIn(finishRedirectLogin(session))))
      .then(() => {
        this.store.viewerId = session.user?.id ?? null;
        this.account.renderAccount();
        void this.load(this.store.sort).then((ok) => {
          if (!ok) return;
          this.startLive(baseUrl);
          void this.openPermalink();
        });
      });
  }

  attributeChangedCallback(name: string, _old: string | null, value: string | null): void {
    // A token set after the widget started (the reader logged in on the publisher's page meanwhile).
    if (name !== 'sso-token' || !value || !this.started || !this.site) return;
    const token = this.takeSignOnToken();
    if (token) void this.signOn(token);
  }

  /** Reads the sign-on token and takes it off the element: it is a credential, not page content. */
  private takeSignOnToken(): string | null {
    const token = this.getAttribute('sso-token');
    if (token !== null) this.removeAttribute('sso-token');
    return token?.trim() || null;
  }

  private async signOn(token: string): Promise<void> {
    try {
      await this.session.signOn(this.site, token);
    } catch (error) {
      this.say(`${this.i18n.t('errSignOn')} ${errorMessage(this.i18n, error)}`);
    }
  }

  /** The site's own login (OpenID Connect), when it has one: a button beside "log in" (oidc-login.ts). */
  private offerProviderLogin(baseUrl: string): void {
    void oidcLoginOption(baseUrl, this.site).then((option) => {
      if (!option || !this.started) return;
      this.account.providerLogin = { label: option.label, start: () => void this.signedIn(loginWithProvider(baseUrl, this.site, this.session)) };
      if (!this.session.user) this.account.renderAccount();
    });
  }

  private async signedIn(login: Promise<unknown> | null): Promise<void> {
    try {
      await login;
    } catch (error) {
      // Every refusal of this login reads "signing you in through this site did not work".
      this.say(errorMessage(this.i18n, error));
    }
  }

  disconnectedCallback(): void {
    this.live?.close();
    this.live = null;
    clearTimeout(this.banTimer);
    clearTimeout(this.offlineTimer);
    clearTimeout(this.reasonTimer);
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.started = false;
  }

  /** The skeleton, and the parts that fill it, afresh for this connection. */
  private buildParts(): void {
    this.ui = buildSkeleton(this.root, this.i18n, {
      sort: (sort) => void this.load(sort),
      showNew: () => this.thread.revealNew(),
    });
    const d: Discussion = {
      root: this.root,
      i18n: this.i18n,
      api: this.api,
      session: this.session,
      store: this.store,
      ui: this.ui,
      site: this.site,
      articleKey: this.articleKey,
      writable: () => this.store.article?.state !== 'closed' && !this.ban,
      banned: () => !!this.ban,
      editable: (createdAt) => this.editWindow === undefined || Date.parse(createdAt) + this.editWindow * 1000 > Date.now(),
      say: (message) => this.say(message),
    };
    // The comments' buttons reach the actions, which are made after the views they act on.
    const on: CommentHandlers = {
      toggleReaction: (id) => this.actions.toggleReaction(id),
      openReply: (id) => void this.actions.openReply(id),
      openEdit: (id) => this.actions.openEdit(id),
      openDelete: (id) => this.actions.openDelete(id),
      openReport: (id) => this.actions.openReport(id),
      loadReplies: (id, button) => this.actions.loadReplies(id, button),
    };
    this.thread = new ThreadView({
      d,
      editExpired: this.editExpired,
      on,
      loadMore: (button) => this.loadMore(button),
      renderCompose: () => this.account.renderCompose(),
    });
    this.account = new AccountPanel(d, { post: (body, box) => this.actions.post(null, body, box) });
    this.actions = new CommentActions(d, {
      thread: this.thread,
      editExpired: this.editExpired,
      compose: () => this.account.compose,
      openAuth: (mode) => this.account.openAuth(mode),
      host: this,
      articleTitle: this.articleTitle,
      banned: () => void this.api.viewer(this.site, this.articleKey).then((viewer) => this.setBan(viewer.ban ?? { until: null }), () => this.setBan({ until: null })),
    });
    this.thread.renderHeader();
  }

  private onSessionChange(change: string): void {
    this.store.viewerId = this.session.user?.id ?? null;
    if (change === 'refresh') {
      this.live?.identityChanged();
      return;
    }
    if (!this.session.user) this.setBan(null);
    this.account.renderAccount();
    if (change === 'login') this.account.compose?.textarea.focus();
    if (change === 'expired') this.say(this.i18n.t('sessionEnded'));
    this.live?.identityChanged();
    // Own-comment actions and `reacted` flags depend on who is reading: read the thread afresh.
    void this.load(this.store.sort).then(() => {
      if (change === 'login') (this.account.compose?.textarea ?? this.ui.account.querySelector('button'))?.focus();
    });
  }

  // ---- loading and live updates ---------------------------------------------------------------

  private async load(sort: ThreadSort): Promise<boolean> {
    this.ui.status.textContent = this.store.article ? '' : this.i18n.t('loading');
    try {
      const page = await this.api.thread(this.site, this.articleKey, sort);
      this.applyPage(page, sort);
      this.ui.sort.value = sort;
      this.ui.status.textContent = this.store.topLevel.length ? '' : this.i18n.t('noComments');
      return true;
    } catch (error) {
      replaceChildren(
        this.ui.status,
        h('p', { class: 'err' }, `${this.i18n.t('loadFailed')} ${errorMessage(this.i18n, error)}`),
        h('button', { type: 'button', onclick: () => void this.load(sort).then((ok) => ok && this.startLive()) }, this.i18n.t('retry')),
      );
      return false;
    }
  }

  /**
   * `#comment-<id>` in the page's address: the comment is fetched with its ancestors when it is not
   * on the pages loaded (a later page, deep in replies), put in place, scrolled to and focused.
   * The browser cannot do it itself: the comment's anchor is inside the shadow root.
   */
  private async openPermalink(): Promise<void> {
    const id = /^#comment-([0-9a-f-]{36})$/i.exec(location.hash)?.[1]?.toLowerCase();
    if (!id || !this.store.article) return;
    if (!this.store.get(id)) {
      try {
        const context = await this.api.comment(id);
        if (context.article.site !== this.site || context.article.key !== this.articleKey) return;
        this.store.placeContext(context);
      } catch {
        this.ui.status.textContent = this.i18n.t('permalinkMissing');
        return;
      }
    }
    const el = this.thread.views.get(id)?.el;
    if (!el) return;
    for (const other of this.root.querySelectorAll('.c.target')) other.classList.remove('target');
    el.classList.add('target');
    el.scrollIntoView({ block: 'center' });
    el.focus({ preventScroll: true });
  }

  /** A first page in the store, and the ban the reader's own part of it reports (kept when it did not come). */
  private applyPage(page: LoadedPage, sort: ThreadSort): void {
    if (page.editWindowSeconds !== undefined) this.editWindow = page.editWindowSeconds;
    this.store.reset(page, sort);
    this.setFollow(page.following);
    if (page.viewerBan !== undefined) this.setBan(page.viewerBan);
    else if (!this.session.user) this.setBan(null);
  }

  /** The header's toggle; hidden while not known (logged out, or a discussion nobody started). */
  private setFollow(on: boolean | undefined): void {
    const button = this.ui.follow;
    button.hidden = on === undefined || !this.store.article?.seq;
    button.setAttribute('aria-pressed', String(!!on));
    button.textContent = this.i18n.t(on ? 'following' : 'follow');
    button.onclick = () =>
      void this.api.follow(this.site, this.articleKey, !on).then(
        (r) => this.setFollow(r.following),
        (error: unknown) => this.say(errorMessage(this.i18n, error)),
      );
  }

  /**
   * Banned: the notice says why and until when; forms already open keep their text (the compose box
   * stays, read-only), and the buttons that would fail go. Unbanned: all back, and the errors the
   * ban caused are cleared.
   */
  private setBan(ban: ThreadViewer['ban']): void {
    const was = this.ban;
    this.ban = ban && ban.until && Date.parse(ban.until) <= Date.now() ? null : ban;
    clearTimeout(this.banTimer);
    const { t } = this.i18n;
    if (this.ban) {
      const until = this.ban.until ? t('banUntil', { date: this.i18n.exactTime(this.ban.until) }) : t('banForever');
      const reason = this.ban.reason ? ` ${t('banReason', { reason: this.ban.reason })}` : '';
      this.ui.banNotice.textContent = `${t('errBanned')} ${until}${reason}`;
      const left = this.ban.until ? Date.parse(this.ban.until) - Date.now() : Infinity;
      // A ban that ends while the page is open lifts by itself (timers top out at ~24 days).
      if (left < 2 ** 31 - 1) this.banTimer = setTimeout(() => this.setBan(null), left + 500);
    }
    this.ui.banNotice.hidden = !this.ban;
    if (!!was === !!this.ban) return;
    this.account.renderCompose();
    this.thread.renderEveryComment();
    if (!this.ban) this.thread.clearErrors();
  }

  private async loadMore(button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const page = await this.api.thread(this.site, this.articleKey, this.store.sort, this.store.nextCursor ?? undefined);
      this.store.appendPage(page);
    } catch (error) {
      button.disabled = false;
      this.say(errorMessage(this.i18n, error));
    }
  }

  private startLive(baseUrl = this.getAttribute('base') ?? bundleBase): void {
    if (this.live || !this.started) return;
    // socket.io-client is a separate chunk: fetched only once there is a thread to keep live.
    void import('../live')
      .then(({ connectLive }) => {
        if (!this.started || this.live) return;
        this.live = connectLive({
          baseUrl,
          site: this.site,
          article: this.articleKey,
          store: this.store,
          session: this.session,
          reload: async () => this.applyPage(await this.api.thread(this.site, this.articleKey, this.store.sort), this.store.sort),
          // Said only after a moment away, so a quick reconnect does not flash it.
          onConnection: (connected) => {
            clearTimeout(this.offlineTimer);
            if (connected) this.ui.liveStatus.hidden = true;
            else this.offlineTimer = setTimeout(() => (this.ui.liveStatus.hidden = false), 1_500);
          },
          onReply: (event) => this.account.replied(event),
          onBan: (site, banned, until) => {
            if (site !== this.site) return;
            // Told by the server the moment it happens; the reason comes with the reader's own view.
            this.setBan(banned ? { until } : null);
            if (banned) void this.api.viewer(this.site, this.articleKey).then(({ ban }) => ban && this.setBan(ban), () => {});
          },
        });
      })
      .catch(() => {
        // Without the live chunk the thread still works; it just doesn't update by itself.
      });
  }

  private say(message: string): void {
    // Clear first so the same sentence twice is still announced.
    this.ui.announce.textContent = '';
    setTimeout(() => (this.ui.announce.textContent = message), 50);
  }
}
