import type { ThreadSort } from '@parley/contracts';
import { createApi, type Api } from '../api';
import { createI18n, pickLang, type I18n } from '../i18n';
import type { LiveConnection } from '../live';
import { Session, type LockFn, type StorageLike } from '../session';
import { ThreadStore, type StoreChange } from '../thread-store';
import { h, replaceChildren } from './dom';
import { errorMessage } from './errors';
import { authForm, composer, reportForm, type AuthMode, type Composer } from './forms';
import { styles } from './styles';

/** Replies nest visually down to this depth; deeper ones line up flat under their depth-3 ancestor. */
export const maxIndentDepth = 3;

/** Where the widget came from: BASE/widget/widget.js → BASE/. */
const bundleBase = new URL('../', import.meta.url).href;

// One session per Parley origin for the whole page, so several widgets share a login.
const sessions = new Map<string, { session: Session; restored: Promise<unknown> }>();

function localStorageOrNull(): StorageLike | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

function sessionFor(baseUrl: string) {
  let entry = sessions.get(baseUrl);
  if (!entry) {
    const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
    const lock: LockFn | undefined = locks ? (name, task) => locks.request(name, task) : undefined;
    const session = new Session({
      baseUrl,
      fetch: (input, init) => fetch(input, init),
      storage: localStorageOrNull(),
      setTimer: (run, ms) => setTimeout(run, ms),
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      lock,
    });
    window.addEventListener('storage', (event) => session.storageChanged(event.key, event.newValue));
    entry = { session, restored: session.restore() };
    sessions.set(baseUrl, entry);
  }
  return entry;
}

interface CommentView {
  el: HTMLElement;
  main: HTMLElement;
  slot: HTMLElement;
  replies: HTMLElement;
  more: HTMLButtonElement;
  /** What is open in the slot under the comment. */
  open?: 'reply' | 'edit' | 'report' | 'delete' | 'message';
  composer?: Composer;
}

/**
 * `<parley-comments site="…" article="…">`: the discussion of one article, rendered into Shadow DOM.
 * Pure state lives in ThreadStore; this class turns its changes into DOM and user input into calls.
 */
export class ParleyComments extends HTMLElement {
  private root!: ShadowRoot;
  private i18n!: I18n;
  private api!: Api;
  private session!: Session;
  private store = new ThreadStore();
  private live: LiveConnection | null = null;
  private views = new Map<string, CommentView>();
  private cleanups: (() => void)[] = [];
  private editExpired = new Set<string>();
  private started = false;
  private site = '';
  private articleKey = '';
  private articleTitle: string | null = null;
  private compose: Composer | null = null;
  private banned = false;
  private ui!: {
    count: HTMLElement;
    sort: HTMLSelectElement;
    account: HTMLElement;
    auth: HTMLElement;
    notice: HTMLElement;
    banNotice: HTMLElement;
    composeSlot: HTMLElement;
    announce: HTMLElement;
    newButton: HTMLButtonElement;
    list: HTMLElement;
    status: HTMLElement;
    foot: HTMLElement;
  };

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
    this.api = createApi({ baseUrl, fetch: (input, init) => fetch(input, init), session });
    this.store = new ThreadStore();
    this.views.clear();
    this.buildSkeleton();
    if (!this.site || !this.articleKey) {
      this.ui.status.textContent = this.i18n.t('loadFailed');
      return;
    }
    this.cleanups.push(
      this.store.subscribe((change) => this.onStoreChange(change)),
      session.onChange((change) => this.onSessionChange(change)),
    );
    const ticker = setInterval(() => this.refreshTimes(), 60_000);
    this.cleanups.push(() => clearInterval(ticker));
    void restored.then(() => {
      this.store.viewerId = session.user?.id ?? null;
      this.renderAccount();
      void this.load(this.store.sort).then((ok) => ok && this.startLive(baseUrl));
    });
  }

  disconnectedCallback(): void {
    this.live?.close();
    this.live = null;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    this.started = false;
  }

  // ---- skeleton and header -------------------------------------------------------------------

  private buildSkeleton(): void {
    const t = this.i18n.t;
    const sort = h('select', { 'aria-label': t('sortLabel') });
    for (const [value, key] of [
      ['newest', 'sortNewest'],
      ['oldest', 'sortOldest'],
      ['top', 'sortTop'],
    ] as const) {
      sort.append(h('option', { value }, t(key)));
    }
    sort.addEventListener('change', () => void this.load(sort.value as ThreadSort));
    const newButton = h('button', { type: 'button', class: 'new', hidden: true, onclick: () => this.revealNew() });
    this.ui = {
      count: h('h2', { class: 'count' }),
      sort,
      account: h('div', { class: 'account' }),
      auth: h('div'),
      notice: h('p', { class: 'notice', hidden: true }, t('closed')),
      banNotice: h('p', { class: 'notice', role: 'alert', hidden: true }, t('errBanned')),
      composeSlot: h('div'),
      announce: h('div', { class: 'sr', 'aria-live': 'polite', role: 'status' }),
      newButton,
      list: h('div', { class: 'list' }),
      status: h('div', { class: 'status', role: 'status' }),
      foot: h('div', { class: 'foot' }),
    };
    const u = this.ui;
    replaceChildren(
      this.root,
      h('style', {}, styles),
      h(
        'section',
        { class: 'p', lang: this.i18n.lang, 'aria-label': this.i18n.plural('comments', 0).replace(/^\S+\s*/, '') },
        h('header', { class: 'head' }, u.count, h('label', { class: 'sort' }, t('sortLabel'), sort)),
        u.account,
        u.auth,
        u.notice,
        u.banNotice,
        u.composeSlot,
        u.announce,
        u.newButton,
        u.status,
        u.list,
        u.foot,
      ),
    );
    this.renderHeader();
  }

  private renderHeader(): void {
    const article = this.store.article;
    this.ui.count.textContent = this.i18n.plural('comments', article?.commentCount ?? 0);
    const closed = article?.state === 'closed';
    this.ui.notice.hidden = !closed;
    this.renderCompose();
  }

  private get closed(): boolean {
    return this.store.article?.state === 'closed';
  }

  private renderAccount(): void {
    const t = this.i18n.t;
    const user = this.session.user;
    if (user) {
      replaceChildren(
        this.ui.account,
        h('span', {}, t('signedInAs', { name: user.displayName })),
        ' ',
        h('button', { type: 'button', class: 'link', onclick: () => void this.session.logout() }, t('logOut')),
      );
      replaceChildren(this.ui.auth);
    } else {
      replaceChildren(
        this.ui.account,
        h('span', {}, t('participate')),
        ' ',
        h('button', { type: 'button', class: 'link', 'data-act': 'login', onclick: () => this.openAuth('login') }, t('logIn')),
        ' ',
        h('span', {}, t('or')),
        ' ',
        h('button', { type: 'button', class: 'link', 'data-act': 'register', onclick: () => this.openAuth('register') }, t('register')),
      );
    }
    this.renderCompose();
  }

  private renderCompose(): void {
    const wanted = !!this.session?.user && !!this.store.article && !this.closed && !this.banned;
    if (!wanted) {
      this.compose = null;
      replaceChildren(this.ui.composeSlot);
      return;
    }
    if (this.compose) return;
    const box = composer(this.i18n, {
      placeholder: this.i18n.t('composePlaceholder'),
      submitLabel: this.i18n.t('post'),
      onSubmit: (body) => this.post(null, body, box),
    });
    this.compose = box;
    replaceChildren(this.ui.composeSlot, box.form);
  }

  private openAuth(mode: AuthMode): void {
    const form = authForm(this.i18n, {
      mode,
      switchMode: (next) => this.openAuth(next),
      cancel: () => {
        replaceChildren(this.ui.auth);
        this.focusOn(this.ui.account.querySelector<HTMLElement>(`[data-act=${mode}]`));
      },
      submit: async ({ email, password, displayName }) => {
        if (mode === 'register') await this.session.register(email, password, displayName);
        else await this.session.login(email, password);
      },
    });
    replaceChildren(this.ui.auth, form);
    form.querySelector('input')?.focus();
  }

  private onSessionChange(change: string): void {
    this.store.viewerId = this.session.user?.id ?? null;
    if (change === 'refresh') {
      this.live?.identityChanged();
      return;
    }
    this.renderAccount();
    if (change === 'login') this.focusOn(this.compose?.textarea);
    if (change === 'expired') this.say(this.i18n.t('sessionEnded'));
    this.live?.identityChanged();
    // Own-comment actions and `reacted` flags depend on who is reading: read the thread afresh.
    void this.load(this.store.sort).then(() => {
      if (change === 'login') this.focusOn(this.compose?.textarea ?? this.ui.account.querySelector('button'));
    });
  }

  // ---- loading -------------------------------------------------------------------------------

  private async load(sort: ThreadSort): Promise<boolean> {
    this.ui.status.textContent = this.store.article ? '' : this.i18n.t('loading');
    try {
      const page = await this.api.thread(this.site, this.articleKey, sort);
      this.store.reset(page, sort);
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
          reload: async () => {
            const page = await this.api.thread(this.site, this.articleKey, this.store.sort);
            this.store.reset(page, this.store.sort);
          },
          onBan: (site, banned) => {
            if (site !== this.site) return;
            // Told by the server the moment it happens: no box to type into, and why.
            this.banned = banned;
            this.ui.banNotice.hidden = !banned;
            this.renderCompose();
            for (const id of this.views.keys()) this.renderMain(id);
          },
        });
      })
      .catch(() => {
        // Without the live chunk the thread still works; it just doesn't update by itself.
      });
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

  // ---- store → DOM ---------------------------------------------------------------------------

  private onStoreChange(change: StoreChange): void {
    switch (change.kind) {
      case 'reset':
        this.views.clear();
        this.syncList(this.ui.list, this.store.topLevel);
        this.renderHeader();
        this.renderPending(false);
        this.renderFoot();
        break;
      case 'article':
        this.renderHeader();
        for (const id of this.views.keys()) this.renderMain(id);
        break;
      case 'comment':
        this.renderMain(change.id);
        this.renderMoreButton(change.id);
        break;
      case 'children':
        if (change.parentId === null) {
          this.syncList(this.ui.list, this.store.topLevel);
          this.renderFoot();
          if (this.store.topLevel.length) this.ui.status.textContent = '';
        } else {
          this.renderChildren(change.parentId);
        }
        break;
      case 'pending':
        this.renderPending(true);
        break;
    }
  }

  private renderFoot(): void {
    if (!this.store.nextCursor) return replaceChildren(this.ui.foot);
    const button: HTMLButtonElement = h('button', { type: 'button', onclick: () => void this.loadMore(button) }, this.i18n.t('loadMore'));
    replaceChildren(this.ui.foot, button);
  }

  private renderPending(announce: boolean): void {
    const n = this.store.pendingNew.length;
    this.ui.newButton.hidden = n === 0;
    this.ui.newButton.textContent = n ? this.i18n.plural('newComments', n) : '';
    if (announce && n) this.say(this.i18n.plural('newCommentsAnnounce', n));
  }

  private revealNew(): void {
    const ids = this.store.showPending();
    const first = ids[0] && this.views.get(ids[0])?.el;
    this.focusOn(first || null);
  }

  /** Puts exactly `ids`' elements into `container`, in order, moving only what is out of place. */
  private syncList(container: HTMLElement, ids: string[]): void {
    let cursor = container.firstElementChild;
    for (const id of ids) {
      const el = this.viewOf(id).el;
      if (el === cursor) cursor = cursor.nextElementSibling;
      else container.insertBefore(el, cursor);
    }
    while (cursor) {
      const next = cursor.nextElementSibling;
      cursor.remove();
      cursor = next;
    }
  }

  /** Replies under a comment: nested below depth 3, a flat run under the depth-3 ancestor beyond. */
  private renderChildren(parentId: string): void {
    const parent = this.store.get(parentId);
    if (!parent) return;
    if (parent.comment.depth < maxIndentDepth) {
      const view = this.views.get(parentId);
      if (view) this.syncList(view.replies, parent.children);
    } else {
      const anchor = this.store.ancestorAt(parentId, maxIndentDepth);
      const view = this.views.get(anchor);
      if (view) this.syncList(view.replies, this.flatDescendants(anchor));
    }
    this.renderMoreButton(parentId);
    this.renderMain(parentId);
  }

  private flatDescendants(id: string): string[] {
    const out: string[] = [];
    for (const child of this.store.get(id)?.children ?? []) out.push(child, ...this.flatDescendants(child));
    return out;
  }

  private viewOf(id: string): CommentView {
    let view = this.views.get(id);
    if (view) return view;
    const node = this.store.get(id)!;
    const main = h('div', { class: 'c-main' });
    const slot = h('div', { class: 'slot' });
    const replies = h('div', { class: 'replies' });
    const more: HTMLButtonElement = h('button', { type: 'button', class: 'quiet more', hidden: true, onclick: () => void this.loadReplies(id, more) });
    const deep = node.comment.depth > maxIndentDepth;
    const el = h('article', { class: 'c', 'data-id': id, tabindex: -1 }, main, slot, more, !deep && replies);
    view = { el, main, slot, replies, more };
    this.views.set(id, view);
    this.renderMain(id);
    this.renderMoreButton(id);
    if (!deep) this.syncList(replies, node.comment.depth < maxIndentDepth ? node.children : this.flatDescendants(id));
    return view;
  }

  private renderMoreButton(id: string): void {
    const view = this.views.get(id);
    if (!view) return;
    const n = this.store.remainingReplies(id);
    view.more.hidden = n === 0;
    view.more.textContent = n ? this.i18n.plural('moreReplies', n) : '';
  }

  private renderMain(id: string): void {
    const view = this.views.get(id);
    const node = this.store.get(id);
    if (!view || !node) return;
    const { t } = this.i18n;
    const c = node.comment;
    const user = this.session.user;
    const own = !!user && c.author?.id === user.id;
    const gone = c.status === 'removed' || c.status === 'deleted';
    // Keep keyboard focus on the same action across a redraw (e.g. after toggling a like).
    const active = this.root.activeElement;
    const focusedAct = active && view.main.contains(active) ? active.getAttribute('data-act') : null;

    const meta = h('div', { class: 'c-meta' });
    if (!gone) meta.append(h('span', { class: 'author' }, c.author?.name ?? ''));
    if (c.depth > maxIndentDepth && c.parentId) {
      const parent = this.store.get(c.parentId)?.comment;
      const name = parent?.author?.name ?? t(parent?.status === 'removed' ? 'removed' : 'deleted');
      meta.append(h('span', {}, t('replyingTo', { name })));
    }
    meta.append(
      h('time', { datetime: c.createdAt, title: this.i18n.exactTime(c.createdAt) }, this.i18n.relativeTime(c.createdAt)),
    );
    if (c.editedAt && !gone) meta.append(h('span', { title: this.i18n.exactTime(c.editedAt) }, t('edited')));
    if (c.sending) meta.append(h('span', {}, t('sending')));
    if (c.status === 'pending') meta.append(h('span', {}, t('pending')));

    let text: HTMLElement;
    if (gone) text = h('p', { class: 'c-text gone' }, t(c.status === 'removed' ? 'removed' : 'deleted'));
    else if (c.sending || !c.html) text = h('div', { class: 'c-text plain' }, c.body);
    else {
      text = h('div', { class: 'c-text' });
      // The one place HTML goes in: the server's sanitized rendering of the comment body.
      text.innerHTML = c.html;
    }
    if (view.open === 'edit') text.hidden = true;

    const actions = h('div', { class: 'actions' });
    if (!gone && !c.sending) {
      const reacted = !!c.reacted;
      actions.append(
        h(
          'button',
          {
            type: 'button',
            class: 'quiet like',
            'data-act': 'like',
            'aria-pressed': String(reacted),
            'aria-label': `${t(reacted ? 'unlike' : 'like')} (${c.reactionCount})`,
            onclick: () => this.toggleReaction(id),
          },
          `♥ ${c.reactionCount}`,
        ),
      );
      // A banned reader can still read and delete their own comments; replying and editing stop.
      const writable = !this.closed && !this.banned;
      if (writable) actions.append(this.action('reply', t('reply'), () => this.openReply(id)));
      if (own && writable && !this.editExpired.has(id)) actions.append(this.action('edit', t('edit'), () => this.openEdit(id)));
      if (own) actions.append(this.action('delete', t('delete'), () => this.openDelete(id)));
      if (user && !own) actions.append(this.action('report', t('report'), () => this.openReport(id)));
    }
    // Spaces between the parts, so assistive tech doesn't read "Annajust now" as one word.
    for (const part of [...meta.children].slice(1)) meta.insertBefore(document.createTextNode(' '), part);
    replaceChildren(view.main, meta, text, actions);
    view.el.classList.toggle('sending', !!c.sending);
    if (focusedAct) this.focusOn(view.main.querySelector<HTMLElement>(`[data-act=${focusedAct}]`));
  }

  private action(act: string, label: string, onclick: () => void): HTMLButtonElement {
    return h('button', { type: 'button', class: 'quiet', 'data-act': act, onclick }, label);
  }

  private refreshTimes(): void {
    for (const time of this.root.querySelectorAll('time[datetime]')) {
      time.textContent = this.i18n.relativeTime(time.getAttribute('datetime')!);
    }
  }

  // ---- actions -------------------------------------------------------------------------------

  /** Not logged in: any write starts at the login form. */
  private requireLogin(): boolean {
    if (this.session.user) return true;
    this.openAuth('login');
    return false;
  }

  private closeSlot(id: string, focusAct?: string): void {
    const view = this.views.get(id);
    if (!view) return;
    const wasEditing = view.open === 'edit';
    view.open = undefined;
    view.composer = undefined;
    replaceChildren(view.slot);
    if (wasEditing) this.renderMain(id);
    if (focusAct) this.focusOn(view.main.querySelector<HTMLElement>(`[data-act=${focusAct}]`));
  }

  private openSlot(id: string, kind: NonNullable<CommentView['open']>, content: HTMLElement): CommentView | undefined {
    const view = this.views.get(id);
    if (!view) return undefined;
    if (view.open === 'edit' && kind !== 'edit') this.closeSlot(id);
    view.open = kind;
    replaceChildren(view.slot, content);
    return view;
  }

  private flash(id: string, message: string): void {
    this.openSlot(id, 'message', h('p', { class: 'err', role: 'alert' }, message));
  }

  private openReply(id: string, initial = ''): Composer | undefined {
    if (!this.requireLogin()) return undefined;
    const box = composer(this.i18n, {
      placeholder: this.i18n.t('replyPlaceholder'),
      label: this.i18n.t('replyLabel'),
      submitLabel: this.i18n.t('postReply'),
      initial,
      onSubmit: (body) => this.post(id, body, box),
      onCancel: () => this.closeSlot(id, 'reply'),
    });
    const view = this.openSlot(id, 'reply', box.form);
    if (view) view.composer = box;
    box.textarea.focus();
    return box;
  }

  private openEdit(id: string): void {
    const node = this.store.get(id);
    if (!node) return;
    const box = composer(this.i18n, {
      placeholder: '',
      label: this.i18n.t('editLabel'),
      submitLabel: this.i18n.t('save'),
      initial: node.comment.body,
      onCancel: () => this.closeSlot(id, 'edit'),
      onSubmit: async (body) => {
        try {
          const { comment } = await this.api.edit(id, body);
          this.closeSlot(id);
          this.store.replace(comment);
          this.focusOn(this.views.get(id)?.main.querySelector<HTMLElement>('[data-act=edit]'));
        } catch (error) {
          box.showError(errorMessage(this.i18n, error));
          if ((error as { code?: string }).code === 'edit_window_expired') this.editExpired.add(id);
        }
      },
    });
    this.openSlot(id, 'edit', box.form);
    this.renderMain(id);
    box.textarea.focus();
  }

  private openDelete(id: string): void {
    const { t } = this.i18n;
    const confirmButton = h('button', { type: 'button', class: 'primary' }, t('delete'));
    const panel = h(
      'div',
      { class: 'panel', role: 'group', onkeydown: ((e: KeyboardEvent) => e.key === 'Escape' && this.closeSlot(id, 'delete')) as EventListener },
      h('p', {}, t('confirmDelete')),
      h('div', { class: 'row' }, confirmButton, h('button', { type: 'button', onclick: () => this.closeSlot(id, 'delete') }, t('cancel'))),
    );
    confirmButton.addEventListener('click', () => {
      confirmButton.disabled = true;
      this.api
        .remove(id)
        .then(() => {
          const node = this.store.get(id);
          this.closeSlot(id);
          if (node) this.store.replace({ ...node.comment, status: 'deleted', author: null, body: '', html: '' });
          this.focusOn(this.views.get(id)?.el ?? null);
        })
        .catch((error: unknown) => this.flash(id, `${t('deleteFailed')} ${errorMessage(this.i18n, error)}`));
    });
    this.openSlot(id, 'delete', panel);
    confirmButton.focus();
  }

  private openReport(id: string): void {
    const form = reportForm(this.i18n, {
      cancel: () => this.closeSlot(id, 'report'),
      submit: async (reason, note) => {
        try {
          await this.api.report(id, reason, note || undefined);
          this.openSlot(id, 'message', h('p', { class: 'ok', role: 'status' }, this.i18n.t('reported')));
        } catch (error) {
          if ((error as { code?: string }).code === 'already_reported') {
            this.openSlot(id, 'message', h('p', { class: 'ok', role: 'status' }, this.i18n.t('alreadyReported')));
            return;
          }
          throw error;
        }
        this.focusOn(this.views.get(id)?.main.querySelector<HTMLElement>('[data-act=report]'));
      },
    });
    this.openSlot(id, 'report', form);
    form.querySelector('select')?.focus();
  }

  private async loadReplies(id: string, button: HTMLButtonElement): Promise<void> {
    button.disabled = true;
    try {
      const cursor = this.store.get(id)?.repliesCursor;
      this.store.appendReplies(id, await this.api.replies(id, cursor ?? undefined));
    } catch (error) {
      this.flash(id, errorMessage(this.i18n, error));
    } finally {
      button.disabled = false;
    }
  }

  private toggleReaction(id: string): void {
    if (!this.requireLogin()) return;
    const node = this.store.get(id);
    if (!node) return;
    const before = { reacted: !!node.comment.reacted, reactionCount: node.comment.reactionCount };
    const on = !before.reacted;
    this.store.patch(id, { reacted: on, reactionCount: Math.max(0, before.reactionCount + (on ? 1 : -1)) });
    this.api
      .react(id, on)
      .then((result) => this.store.patch(id, { reacted: result.reacted, reactionCount: result.reactionCount }))
      .catch((error: unknown) => {
        this.store.patch(id, before);
        this.flash(id, `${this.i18n.t('reactionFailed')} ${errorMessage(this.i18n, error)}`);
      });
  }

  /** Optimistic post: shown at once as "sending…", replaced by the server's comment or rolled back. */
  private async post(parentId: string | null, body: string, box: Composer): Promise<void> {
    const user = this.session.user;
    if (!user) return void this.openAuth('login');
    const tempId = this.store.addOptimistic({ parentId, body, author: { id: user.id, name: user.displayName } });
    if (parentId) this.closeSlot(parentId, 'reply');
    else box.setValue('');
    try {
      const title = this.articleTitle ?? document.title;
      const url = this.getAttribute('url') ?? location.href.split('#')[0];
      const { comment } = await this.api.post(this.site, this.articleKey, {
        body,
        ...(parentId ? { parentId } : {}),
        ...(title ? { title: title.slice(0, 300) } : {}),
        ...(url && /^https?:/.test(url) ? { url } : {}),
      });
      this.store.confirmOptimistic(tempId, comment);
    } catch (error) {
      this.store.rollbackOptimistic(tempId);
      const message = this.i18n.t('errPostFailed', { reason: errorMessage(this.i18n, error) });
      if ((error as { code?: string }).code === 'article_closed' && this.store.article) {
        // Closed meanwhile: no forms any more, and say why the comment did not go out.
        this.store.article = { ...this.store.article, state: 'closed' };
        this.onStoreChange({ kind: 'article' });
        this.say(message);
        return;
      }
      const target = parentId ? this.openReply(parentId, body) : (this.compose ?? box);
      if (!parentId) target?.setValue(body);
      target?.showError(message);
      target?.textarea.focus();
    }
  }

  private say(message: string): void {
    // Clear first so the same sentence twice is still announced.
    this.ui.announce.textContent = '';
    setTimeout(() => (this.ui.announce.textContent = message), 50);
  }

  private focusOn(el: HTMLElement | null | undefined): void {
    el?.focus();
  }
}
