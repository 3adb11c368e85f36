import type { ThreadNode } from '../thread-store';
import type { Discussion } from './discussion';
import { h, replaceChildren } from './dom';
import type { Composer } from './forms';

/** Replies nest visually down to this depth; deeper ones line up flat under their depth-3 ancestor. */
export const maxIndentDepth = 3;

export interface CommentView {
  el: HTMLElement;
  main: HTMLElement;
  slot: HTMLElement;
  replies: HTMLElement;
  more: HTMLButtonElement;
  /** What is open in the slot under the comment. */
  open?: 'reply' | 'edit' | 'report' | 'delete' | 'message';
  composer?: Composer;
}

/** What a comment's buttons do. */
export interface CommentHandlers {
  toggleReaction(id: string): void;
  openReply(id: string): void;
  openEdit(id: string): void;
  openDelete(id: string): void;
  openReport(id: string): void;
  loadReplies(id: string, button: HTMLButtonElement): Promise<void>;
}

export interface CommentContext {
  readonly d: Discussion;
  /** Comments the server refused to edit any more: no Edit button on them. */
  readonly editExpired: ReadonlySet<string>;
  readonly on: CommentHandlers;
}

/** One comment's elements, empty: main part, the slot under it, "Show N more replies", and its replies (to depth 3). */
export function createCommentView(id: string, depth: number, on: CommentHandlers): CommentView {
  const main = h('div', { class: 'c-main' });
  const slot = h('div', { class: 'slot' });
  const replies = h('div', { class: 'replies' });
  const more: HTMLButtonElement = h('button', { type: 'button', class: 'quiet more', hidden: true, onclick: () => void on.loadReplies(id, more) });
  const deep = depth > maxIndentDepth;
  // The replies shown first, then "Show N more replies" under them, where the list goes on.
  // `id` is the permalink's anchor (`#comment-<id>`); the element scrolls there itself (shadow DOM).
  const el = h('article', { class: 'c', id: `comment-${id}`, 'data-id': id, tabindex: -1 }, main, slot, !deep && replies, more);
  return { el, main, slot, replies, more };
}

/** Draws a comment's meta line, text and action buttons afresh. */
export function renderCommentMain({ d, editExpired, on }: CommentContext, id: string, view: CommentView, node: ThreadNode): void {
  const { t } = d.i18n;
  const c = node.comment;
  const user = d.session.user;
  const own = !!user && c.author?.id === user.id;
  const gone = c.status === 'removed' || c.status === 'deleted';
  // Keep keyboard focus on the same action across a redraw (e.g. after toggling a like).
  const active = d.root.activeElement;
  const focusedAct = active && view.main.contains(active) ? active.getAttribute('data-act') : null;

  const meta = h('div', { class: 'c-meta' });
  if (!gone) meta.append(h('span', { class: 'author' }, c.author?.name ?? ''));
  if (!gone && c.author?.badge) meta.append(h('span', { class: 'badge' }, c.author.badge));
  if (c.depth > maxIndentDepth && c.parentId) {
    const parent = d.store.get(c.parentId)?.comment;
    const name = parent?.author?.name ?? t(parent?.status === 'removed' ? 'removed' : 'deleted');
    meta.append(h('span', {}, t('replyingTo', { name })));
  }
  const time = h('time', { datetime: c.createdAt, title: d.i18n.exactTime(c.createdAt) }, d.i18n.relativeTime(c.createdAt));
  // The time is the comment's permalink (a temporary post has none yet).
  meta.append(c.sending ? time : h('a', { class: 'permalink', href: `#comment-${id}` }, time));
  if (c.editedAt && !gone) meta.append(h('span', { title: d.i18n.exactTime(c.editedAt) }, t('edited')));
  if (c.sending) meta.append(h('span', {}, t('sending')));
  if (c.status === 'pending') meta.append(h('span', {}, t('pending')));

  let text: HTMLElement;
  if (gone) {
    // The author alone gets the moderator's reason ("Removed by a moderator: Spam").
    const word = t(c.status === 'removed' ? 'removed' : 'deleted');
    text = h('p', { class: 'c-text gone' }, c.removalReason ? `${word}: ${c.removalReason}` : word);
  } else if (c.sending || !c.html) text = h('div', { class: 'c-text plain' }, c.body);
  else {
    text = h('div', { class: 'c-text' });
    // The one place HTML goes in: the server's sanitized rendering of the comment body.
    text.innerHTML = c.html;
  }
  if (view.open === 'edit') text.hidden = true;

  const actions = h('div', { class: 'actions' });
  // A closed discussion, or a banned reader, takes no likes, replies, edits or reports: the count
  // stays, the buttons that would only fail go. Deleting one's own comment is always allowed.
  const writable = d.writable();
  if (!gone && !c.sending) {
    const reacted = !!c.reacted;
    if (!writable) actions.append(h('span', { class: 'likes', 'aria-label': t('likes', { n: c.reactionCount }) }, `♥ ${c.reactionCount}`));
    else actions.append(
      h(
        'button',
        {
          type: 'button',
          class: 'quiet like',
          'data-act': 'like',
          'aria-pressed': String(reacted),
          'aria-label': `${t(reacted ? 'unlike' : 'like')} (${c.reactionCount})`,
          onclick: () => on.toggleReaction(id),
        },
        `♥ ${c.reactionCount}`,
      ),
    );
    if (writable) actions.append(action('reply', t('reply'), () => on.openReply(id)));
    if (own && writable && !editExpired.has(id) && d.editable(c.createdAt)) actions.append(action('edit', t('edit'), () => on.openEdit(id)));
    if (own) actions.append(action('delete', t('delete'), () => on.openDelete(id)));
    if (user && !own && !d.banned()) actions.append(action('report', t('report'), () => on.openReport(id)));
  }
  // Spaces between the parts, so assistive tech doesn't read "Annajust now" as one word.
  for (const part of [...meta.children].slice(1)) meta.insertBefore(document.createTextNode(' '), part);
  replaceChildren(view.main, meta, text, actions);
  view.el.classList.toggle('sending', !!c.sending);
  if (focusedAct) view.main.querySelector<HTMLElement>(`[data-act=${focusedAct}]`)?.focus();
}

function action(act: string, label: string, onclick: () => void): HTMLButtonElement {
  return h('button', { type: 'button', class: 'quiet', 'data-act': act, onclick }, label);
}
