import type { StoreChange } from '../thread-store';
import { createCommentView, maxIndentDepth, renderCommentMain, type CommentContext, type CommentView } from './comment-view';
import { countLabel, pickLang } from '../plural';
import { h, replaceChildren } from './dom';

export interface ThreadViewDeps extends CommentContext {
  loadMore(button: HTMLButtonElement): Promise<void>;
  /** The compose box depends on the article's state: redraw it with the header. */
  renderCompose(): void;
}

/**
 * Store changes → DOM: one view per comment, made once and then moved rather than rebuilt; the
 * count header, the "N new comments" button and "Load more".
 */
export class ThreadView {
  readonly views = new Map<string, CommentView>();

  constructor(private readonly deps: ThreadViewDeps) {}

  onStoreChange(change: StoreChange): void {
    const { store, ui } = this.deps.d;
    switch (change.kind) {
      case 'reset':
        this.views.clear();
        this.syncList(ui.list, store.topLevel);
        this.renderHeader();
        this.renderPending(false);
        this.renderFoot();
        break;
      case 'article':
        this.renderHeader();
        // A count bump concerns the header only; closing or reopening changes every comment's buttons.
        if (change.state) this.renderEveryComment();
        break;
      case 'comment':
        this.renderMain(change.id);
        this.renderMoreButton(change.id);
        break;
      case 'children':
        if (change.parentId === null) {
          this.syncList(ui.list, store.topLevel);
          this.renderFoot();
          if (store.topLevel.length) ui.status.textContent = '';
        } else {
          this.renderChildren(change.parentId);
        }
        break;
      case 'pending':
        this.renderPending(true);
        break;
    }
  }

  renderHeader(): void {
    const { store, ui, i18n } = this.deps.d;
    const article = store.article;
    ui.count.textContent = i18n.plural('comments', article?.commentCount ?? 0);
    if (article) followCountLinks(article.site, article.key, article.commentCount);
    const closed = article?.state === 'closed';
    ui.notice.hidden = !closed;
    this.deps.renderCompose();
  }

  renderMain(id: string): void {
    const view = this.views.get(id);
    const node = this.deps.d.store.get(id);
    if (!view || !node) return;
    renderCommentMain(this.deps, id, view, node);
  }

  /** Who may do what changed (a ban, the article closing): every comment's buttons again. */
  renderEveryComment(): void {
    for (const id of this.views.keys()) this.renderMain(id);
  }

  /** The reader may write again (a ban lifted): the errors the refusals left go, open forms keep their text. */
  clearErrors(): void {
    for (const view of this.views.values()) {
      view.composer?.setDisabled(false);
      view.composer?.showError('');
      if (view.open === 'message' && view.slot.querySelector('.err')) {
        view.open = undefined;
        replaceChildren(view.slot);
      }
    }
    this.deps.renderCompose();
  }

  /** Focuses the first of the held-back new comments once they are shown. */
  revealNew(): void {
    const ids = this.deps.d.store.showPending();
    const first = ids[0] && this.views.get(ids[0])?.el;
    if (first) first.focus();
  }

  refreshTimes(): void {
    const { root, i18n } = this.deps.d;
    for (const time of root.querySelectorAll('time[datetime]')) {
      time.textContent = i18n.relativeTime(time.getAttribute('datetime')!);
    }
  }

  private renderFoot(): void {
    const { store, ui, i18n } = this.deps.d;
    if (!store.nextCursor) return replaceChildren(ui.foot);
    const button: HTMLButtonElement = h('button', { type: 'button', onclick: () => void this.deps.loadMore(button) }, i18n.t('loadMore'));
    replaceChildren(ui.foot, button);
  }

  private renderPending(announce: boolean): void {
    const { store, ui, i18n } = this.deps.d;
    const n = store.pendingNew.length;
    ui.newButton.hidden = n === 0;
    ui.newButton.textContent = n ? i18n.plural('newComments', n) : '';
    if (announce && n) this.deps.d.say(i18n.plural('newCommentsAnnounce', n));
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
    const { store } = this.deps.d;
    const parent = store.get(parentId);
    if (!parent) return;
    if (parent.comment.depth < maxIndentDepth) {
      const view = this.views.get(parentId);
      if (view) this.syncList(view.replies, parent.children);
    } else {
      const anchor = store.ancestorAt(parentId, maxIndentDepth);
      const view = this.views.get(anchor);
      if (view) this.syncList(view.replies, this.flatDescendants(anchor));
    }
    this.renderMoreButton(parentId);
    this.renderMain(parentId);
  }

  private flatDescendants(id: string): string[] {
    const out: string[] = [];
    for (const child of this.deps.d.store.get(id)?.children ?? []) out.push(child, ...this.flatDescendants(child));
    return out;
  }

  private viewOf(id: string): CommentView {
    let view = this.views.get(id);
    if (view) return view;
    const node = this.deps.d.store.get(id)!;
    const deep = node.comment.depth > maxIndentDepth;
    view = createCommentView(id, node.comment.depth, this.deps.on);
    this.views.set(id, view);
    this.renderMain(id);
    this.renderMoreButton(id);
    if (!deep) this.syncList(view.replies, node.comment.depth < maxIndentDepth ? node.children : this.flatDescendants(id));
    return view;
  }

  private renderMoreButton(id: string): void {
    const view = this.views.get(id);
    if (!view) return;
    const n = this.deps.d.store.remainingReplies(id);
    view.more.hidden = n === 0;
    view.more.textContent = n ? this.deps.d.i18n.plural('moreReplies', n) : '';
  }
}

/**
 * The page's own count links for this article (`[data-parley-count]`, filled once by embed.js)
 * follow the discussion as it changes, in the same words embed.js used.
 */
function followCountLinks(site: string, key: string, n: number): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-parley-count]')) {
    if (el.dataset.site !== site || el.dataset.article !== key) continue;
    const text = el.dataset.parleyCount === 'number' ? String(n) : countLabel(pickLang(el.closest<HTMLElement>('[lang]')?.lang, document.documentElement.lang), n);
    if (el.textContent !== text) el.textContent = text;
  }
}
