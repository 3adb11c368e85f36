import type { ModerationQueueItem, ModerationView } from '@parley/contracts';
import { h, replaceChildren } from '../widget/dom';
import { openBan } from './bans';
import { announce, api, errorText, isListTab, onSitesChanged, refresh, state } from './context';
import { offerUndo } from './undo';
import { openPerson } from './person-view';

const defaultReason = 'Breaks the community rules';
/** The reason a removal or rejection gives (the filters bar's choice, once drawn). */
let removalReason = () => defaultReason;

/** One-key actions wait this long after the queue was redrawn: a key meant for the old list never hits the new one. */
export const keysQuietAfterRedrawMs = 500;
let lastRedraw = 0;
let quietTimer: ReturnType<typeof setTimeout> | undefined;

/** Notes a redraw: keys rest for keysQuietAfterRedrawMs (`data-keys` says when they work again, for tests and styles). */
function redrawn(panel: HTMLElement): void {
  lastRedraw = performance.now();
  panel.dataset.keys = 'resting';
  clearTimeout(quietTimer);
  quietTimer = setTimeout(() => (panel.dataset.keys = 'ready'), keysQuietAfterRedrawMs);
}

/**
 * The reported and pending queues: one item per comment with its context and actions, the
 * current item (j/k, focus) and the selection for bulk actions.
 */
const emptyText: Record<ModerationView, string> = {
  reported: 'No reported comments. Well done.',
  pending: 'Nothing awaits approval.',
  removed: 'No removed comments.',
  approved: 'No approved comments.',
};
const filteredEmpty = 'Nothing matches these filters.';

/** "67 in the queue · showing 50 · 2 selected" */
const countText = () =>
  `${state.total} ${state.tab === 'reported' || state.tab === 'pending' ? 'in the queue' : 'comments'}` +
  `${state.items.length < state.total ? ` · showing ${state.items.length}` : ''} · ${state.selected.size} selected`;

export function renderQueue(panel: HTMLElement): void {
  const type = state.tab as ModerationView;
  const kept = keepWhatIsOpen(panel);
  redrawn(panel);
  if (state.items.length === 0) {
    replaceChildren(panel, h('p', { class: 'empty' }, state.q || state.article ? filteredEmpty : emptyText[type]));
    kept.restore(panel);
    return;
  }
  const bulk = h(
    'div',
    { class: 'bulk' },
    h('span', { class: 'count' }, countText()),
    h('button', { onclick: () => selectAll() }, 'Select all'),
    type === 'pending' ? h('button', { class: 'ok', onclick: () => void bulkAction('approve') }, 'Approve selected') : null,
    type === 'removed' ? null : h('button', { class: 'danger', onclick: () => void bulkAction('remove') }, 'Remove selected'),
    h(
      'span',
      { class: 'help' },
      h('kbd', {}, 'j'), '/', h('kbd', {}, 'k'), ' move · ',
      ...(type === 'pending' ? [h('kbd', {}, 'a'), ' approve · '] : type === 'reported' ? [h('kbd', {}, 'd'), ' dismiss · '] : []),
      ...(type === 'removed' ? [] : [h('kbd', {}, 'r'), type === 'pending' ? ' reject · ' : ' remove · ']),
      h('kbd', {}, 'b'), ' ban author · ', h('kbd', {}, 'x'), ' select',
    ),
  );
  const more = state.nextCursor
    ? h('button', { class: 'more', type: 'button', onclick: () => void loadMore() }, `Show more (${state.total - state.items.length} left)`)
    : null;
  replaceChildren(panel, bulk, ...state.items.map((item, index) => renderItem(item, index, type)), more);
  kept.restore(panel);
}

/** The next page, by the list's keyset cursor, added under what is shown. */
async function loadMore(): Promise<void> {
  const type = state.tab;
  if (!state.nextCursor || !isListTab(type)) return;
  try {
    const page = await api.queue(type, { site: state.site || undefined, article: (state.site && state.article) || undefined, q: state.q || undefined, cursor: state.nextCursor });
    if (state.tab !== type) return;
    const shown = new Set(state.items.map((item) => item.comment.id));
    state.items.push(...page.items.filter((item) => !shown.has(item.comment.id)));
    state.total = page.total;
    state.nextCursor = page.nextCursor;
    renderQueue(document.getElementById('panel')!);
  } catch (error) {
    announce(errorText(error));
  }
}

/**
 * Search (text or author) and the article filter, above the list and outside the panel, so a
 * redraw never touches what is being typed; the site is the header's filter.
 */
export function listFilters(): HTMLElement {
  const q = h('input', { id: 'filter-q', type: 'search', placeholder: 'Text or author', value: state.q, autocomplete: 'off' });
  const article = h('input', { id: 'filter-article', placeholder: 'article key (choose a site)', value: state.article, autocomplete: 'off' });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const apply = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      state.q = q.value.trim();
      state.article = article.value.trim();
      state.nextCursor = null;
      state.items = [];
      state.current = 0;
      void refresh();
    }, 300);
  };
  q.addEventListener('input', apply);
  article.addEventListener('input', apply);
  // What Remove, Reject and r give as the reason: one of the site's removal reasons, plus a free note.
  const reason = h('select', { id: 'removal-reason' });
  const note = h('input', { id: 'removal-note', placeholder: 'optional; the author sees it too', maxlength: 300, autocomplete: 'off' });
  const fillReasons = () => {
    const chosen = reason.value;
    const sites = state.site ? state.sites.filter((site) => site.id === state.site) : state.sites;
    const reasons = [...new Set(sites.flatMap((site) => site.settings.removalReasons ?? []))];
    if (reasons.length === 0) reasons.push(defaultReason);
    reason.replaceChildren(...reasons.map((text) => h('option', { value: text }, text)));
    if (reasons.includes(chosen)) reason.value = chosen;
  };
  fillReasons();
  onSitesChanged(fillReasons);
  document.addEventListener('parley:site-changed', fillReasons);
  removalReason = () => (note.value.trim() ? `${reason.value}: ${note.value.trim()}` : reason.value) || defaultReason;
  const form = h(
    'form',
    { class: 'filters', id: 'filters', role: 'search', 'aria-label': 'Filter the list', hidden: !isListTab(state.tab) },
    h('label', { for: q.id }, 'Search', q),
    h('label', { for: article.id }, 'In article', article),
    h('label', { for: reason.id }, 'Removal reason', reason),
    h('label', { for: note.id }, 'Note to the reason', note),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
  return form;
}

/**
 * What a redraw must not take from the moderator: the forms open in the queue (the same
 * elements, so their text, selection and focus survive) and the focused item. An open form
 * whose comment has left the queue stays, on its old item, marked as gone.
 */
function keepWhatIsOpen(panel: HTMLElement): { restore(panel: HTMLElement): void } {
  const active = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  const hadFocus = !active || active === document.body || panel.contains(active);
  const focusedItem = active?.classList.contains('item') ? active.dataset.id : undefined;
  const selection =
    active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ? [active.selectionStart, active.selectionEnd] : null;
  const forms = [...panel.querySelectorAll<HTMLFormElement>('.item form')].map((form) => ({ form, item: form.closest<HTMLElement>('.item')! }));
  return {
    restore(panel) {
      for (const { form, item } of forms) {
        const fresh = panel.querySelector(`.item[data-id="${item.dataset.id}"]`);
        if (fresh) fresh.append(form);
        else {
          item.classList.add('gone');
          item.querySelector('.actions')?.replaceChildren(h('span', { class: 'help' }, 'No longer in this queue.'));
          item.removeAttribute('aria-current');
          item.tabIndex = -1;
          panel.prepend(item);
        }
      }
      if (active && forms.some(({ form }) => form.contains(active))) {
        active.focus();
        if (selection && (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement)) {
          try {
            active.setSelectionRange(selection[0] ?? null, selection[1] ?? null);
          } catch {
            // a field without a text selection (checkbox, select)
          }
        }
        return;
      }
      if (focusedItem) {
        const index = state.items.findIndex((item) => item.comment.id === focusedItem);
        if (index >= 0) return setCurrent(index);
      }
      // Focus stays wherever the moderator had put it outside the queue (the site filter, a tab).
      if (hadFocus) focusCurrent();
    },
  };
}

function renderItem(item: ModerationQueueItem, index: number, type: ModerationView): HTMLElement {
  const { comment, article, author } = item;
  const body = h('div', { class: 'body' });
  body.innerHTML = comment.html; // sanitized by the comments service; the console's CSP forbids inline script too
  const reasons = Object.entries(item.reasons).filter(([, n]) => n > 0);
  const checkbox = h('input', { type: 'checkbox', 'aria-label': `Select comment by ${author.name}` });
  checkbox.checked = state.selected.has(comment.id);
  checkbox.addEventListener('change', () => toggleSelected(comment.id));
  const articleLabel = article.title ?? `${article.site} / ${article.key}`;
  return h(
    'article',
    {
      class: 'item',
      tabindex: index === state.current ? 0 : -1,
      'aria-current': String(index === state.current),
      'data-id': comment.id,
      'aria-label': `Comment by ${author.name} on ${articleLabel}`,
      onfocus: () => setCurrent(index, false),
    },
    h(
      'div',
      { class: 'meta' },
      checkbox,
      h('button', { type: 'button', class: 'link person', title: 'Their comments, bans and notes', onclick: () => void openPerson(author.id, author.name, article.site) }, h('strong', {}, author.name)),
      comment.author?.badge ? h('span', { class: 'chip badge', title: 'Given by the publisher\'s sign-on, or staff of this site' }, comment.author.badge) : null,
      author.banned ? h('span', { class: 'chip banned' }, 'banned') : null,
      h('span', {}, `${author.recentCount} comments, ${author.removedCount} removed`),
      h('span', {}, '·'),
      article.url ? h('a', { href: article.url, target: '_blank', rel: 'noopener' }, articleLabel) : h('span', {}, articleLabel),
      h('time', { datetime: comment.createdAt, title: comment.createdAt }, new Date(comment.createdAt).toLocaleString()),
    ),
    item.parent ? h('div', { class: 'parent' }, `In reply to ${item.parent.author?.name ?? 'a deleted comment'}: `, item.parent.body.slice(0, 200)) : null,
    body,
    type === 'reported'
      ? h(
          'div',
          { class: 'chips' },
          h('span', { class: 'chip' }, `${item.reportCount} report${item.reportCount === 1 ? '' : 's'}`),
          ...reasons.map(([reason, n]) => h('span', { class: 'chip' }, `${reason.replace('_', ' ')} ×${n}`)),
          ...item.notes.map((note) => h('span', { class: 'help' }, `“${note}”`)),
        )
      : null,
    h(
      'div',
      { class: 'actions' },
      type === 'pending' ? h('button', { class: 'ok', onclick: () => void act('approve', item) }, 'Approve') : null,
      type === 'reported' ? h('button', { onclick: () => void act('dismiss', item) }, 'Dismiss reports') : null,
      type === 'removed'
        ? h('button', { class: 'ok', onclick: () => void act('restore', item) }, 'Restore')
        : h('button', { class: 'danger', onclick: () => void act('remove', item) }, type === 'pending' ? 'Reject' : 'Remove'),
      h('button', { onclick: () => openBan(item) }, 'Ban author…'),
    ),
  );
}

function setCurrent(index: number, focus = true): void {
  if (index < 0 || index >= state.items.length) return;
  state.current = index;
  for (const [i, el] of document.querySelectorAll<HTMLElement>('.item:not(.gone)').entries()) {
    el.setAttribute('aria-current', String(i === index));
    el.tabIndex = i === index ? 0 : -1;
  }
  if (focus) focusCurrent();
}

function focusCurrent(): void {
  document.querySelectorAll<HTMLElement>('.item:not(.gone)')[state.current]?.focus();
}

function toggleSelected(id: string): void {
  if (state.selected.has(id)) state.selected.delete(id);
  else state.selected.add(id);
  const box = document.querySelector<HTMLInputElement>(`.item[data-id="${id}"] input[type=checkbox]`);
  if (box) box.checked = state.selected.has(id);
  const count = document.querySelector('.bulk .count');
  if (count) count.textContent = countText();
}

function selectAll(): void {
  for (const item of state.items) state.selected.add(item.comment.id);
  renderQueue(document.getElementById('panel')!);
}

async function act(action: 'approve' | 'remove' | 'dismiss' | 'restore', item: ModerationQueueItem): Promise<void> {
  const reason = removalReason();
  try {
    if (action === 'restore') {
      await api.restore(item.comment.id);
      announce(`Restored the comment by ${item.author.name}: readers see it again.`);
      return await refresh();
    }
    if (action === 'approve') await api.approve(item.comment.id);
    else if (action === 'dismiss') await api.dismiss(item.comment.id);
    else if (item.comment.status === 'pending') await api.reject(item.comment.id, reason);
    else await api.remove(item.comment.id, reason);
    const done = `${action === 'approve' ? 'Approved' : action === 'dismiss' ? 'Reports dismissed for' : item.comment.status === 'pending' ? 'Rejected' : 'Removed'} the comment by ${item.author.name}`;
    announce(`${done}.`);
    offerUndo(done, [item.comment.id]);
    await refresh();
  } catch (error) {
    announce(errorText(error));
    alertInItem(item.comment.id, errorText(error));
  }
}

async function bulkAction(action: 'approve' | 'remove'): Promise<void> {
  const ids = [...state.selected];
  if (ids.length === 0) return announce('Select comments first (x, or the checkboxes).');
  try {
    const { results } = await api.bulk(action, ids, removalReason());
    const failed = results.filter((result) => !result.ok).length;
    state.selected.clear();
    const done = `${action === 'approve' ? 'Approved' : 'Removed'} ${results.length - failed} comments${failed ? `, ${failed} failed` : ''}`;
    announce(`${done}.`);
    offerUndo(done, results.filter((result) => result.ok).map((result) => result.id));
    await refresh();
  } catch (error) {
    announce(errorText(error));
  }
}

function alertInItem(id: string, message: string): void {
  const el = document.querySelector(`.item[data-id="${id}"] .actions`);
  el?.append(h('span', { class: 'error', role: 'alert' }, message));
}

/**
 * Whether a key press is meant for the queue: focus is on a queue item (or a button in one), not
 * in a field, a form (the ban form, the admin forms) or anywhere else on the page, so typing a
 * site's name or an email never removes a comment.
 */
function isForQueue(event: KeyboardEvent): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return false;
  if (!isListTab(state.tab)) return false;
  const target = event.target instanceof HTMLElement ? event.target : null;
  if (!target?.closest('#panel .item:not(.gone)') || target.closest('form')) return false;
  // While any form is open in the queue (a ban being typed), no key is a shortcut.
  if (document.querySelector('#panel form')) return false;
  if (performance.now() - lastRedraw < keysQuietAfterRedrawMs) return false;
  return !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) && !target.isContentEditable;
}

/** One-key actions on the current comment of a queue, when focus is on a queue item. */
export function queueKeys(event: KeyboardEvent): void {
  if (!isForQueue(event)) return;
  const item = state.items[state.current];
  switch (event.key) {
    case 'j':
    case 'ArrowDown':
      setCurrent(state.current + 1);
      break;
    case 'k':
    case 'ArrowUp':
      setCurrent(state.current - 1);
      break;
    case 'r':
      if (item && state.tab !== 'removed') void act('remove', item);
      break;
    case 'a':
      if (item && state.tab === 'pending') void act('approve', item);
      break;
    case 'd':
      if (item && state.tab === 'reported') void act('dismiss', item);
      break;
    case 'b':
      if (item) openBan(item);
      break;
    case 'x':
      if (item) toggleSelected(item.comment.id);
      break;
    default:
      return;
  }
  event.preventDefault();
}
