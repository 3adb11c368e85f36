import type { ThreadSort } from '@parley/contracts';
import type { I18n } from '../i18n';
import { h, replaceChildren } from './dom';
import { styles } from './styles';

/** The fixed parts of the widget, filled in as the thread, the session and live events change. */
export interface Skeleton {
  count: HTMLElement;
  sort: HTMLSelectElement;
  /** "Follow" / "Following": shown to a logged-in reader once their part of the page said which. */
  follow: HTMLButtonElement;
  account: HTMLElement;
  auth: HTMLElement;
  notice: HTMLElement;
  banNotice: HTMLElement;
  /** "Live updates paused; reconnecting…" while the live stream is away. */
  liveStatus: HTMLElement;
  composeSlot: HTMLElement;
  announce: HTMLElement;
  newButton: HTMLButtonElement;
  list: HTMLElement;
  status: HTMLElement;
  foot: HTMLElement;
}

/** Draws the header with the sort, the notices, the slots for forms, the list and its footer into `root`. */
export function buildSkeleton(root: ShadowRoot, i18n: I18n, on: { sort(sort: ThreadSort): void; showNew(): void }): Skeleton {
  const t = i18n.t;
  const sort = h('select', { 'aria-label': t('sortLabel') });
  for (const [value, key] of [
    ['newest', 'sortNewest'],
    ['oldest', 'sortOldest'],
    ['top', 'sortTop'],
  ] as const) {
    sort.append(h('option', { value }, t(key)));
  }
  sort.addEventListener('change', () => on.sort(sort.value as ThreadSort));
  const newButton = h('button', { type: 'button', class: 'new', hidden: true, onclick: () => on.showNew() });
  const u: Skeleton = {
    count: h('h2', { class: 'count' }),
    sort,
    follow: h('button', { type: 'button', hidden: true }),
    account: h('div', { class: 'account' }),
    auth: h('div'),
    notice: h('p', { class: 'notice', hidden: true }, t('closed')),
    banNotice: h('p', { class: 'notice', role: 'alert', hidden: true }, t('errBanned')),
    composeSlot: h('div'),
    liveStatus: h('p', { class: 'live', role: 'status', hidden: true }, t('liveOffline')),
    announce: h('div', { class: 'sr', 'aria-live': 'polite', role: 'status' }),
    newButton,
    list: h('div', { class: 'list' }),
    status: h('div', { class: 'status', role: 'status' }),
    foot: h('div', { class: 'foot' }),
  };
  replaceChildren(
    root,
    h('style', {}, styles),
    h(
      'section',
      { class: 'p', lang: i18n.lang, 'aria-label': i18n.plural('comments', 0).replace(/^\S+\s*/, '') },
      h('header', { class: 'head' }, u.count, u.follow, h('label', { class: 'sort' }, t('sortLabel'), sort)),
      u.account,
      u.auth,
      u.notice,
      u.banNotice,
      u.composeSlot,
      u.liveStatus,
      u.announce,
      u.newButton,
      u.status,
      u.list,
      u.foot,
    ),
  );
  return u;
}
