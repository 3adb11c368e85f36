import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ModerationQueueItem, QueueType, ServerToClientEvents } from '@parley/contracts';
import { isStaff, roleCan } from '@parley/contracts/policy';
import { isApiError } from '../http';
import { Session } from '../session';
import { h, replaceChildren } from '../widget/dom';
import { createModerationApi, type ModerationApi } from './moderation-api';

/**
 * The moderator console at /moderate on the Parley origin: the reported and pending queues
 * (updated live through the moderation room), one-key actions, bulk actions, article controls,
 * bans and the log. Same-origin with the API, so its session is first-party.
 */
type Tab = QueueType | 'log' | 'controls';

const baseUrl = location.origin;
const session = new Session({ baseUrl, fetch: (input, init) => fetch(input, init), storage: safeStorage() });
const api: ModerationApi = createModerationApi(baseUrl, (input, init) => fetch(input, init), session);
const app = document.getElementById('app')!;

const state = {
  tab: 'reported' as Tab,
  site: new URLSearchParams(location.search).get('site') ?? '',
  items: [] as ModerationQueueItem[],
  current: 0,
  selected: new Set<string>(),
  status: '',
};
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

const errorText = (error: unknown) => (isApiError(error) ? error.message : 'Something went wrong; try again.');

async function start(): Promise<void> {
  const user = await session.restore().catch(() => null);
  if (isStaff(user?.role)) return showConsole();
  if (user) await session.logout();
  showLogin(user ? 'This account is not a moderator.' : '');
}

function showLogin(message = ''): void {
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const email = h('input', { id: 'email', type: 'email', autocomplete: 'username', required: true });
  const password = h('input', { id: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const form = h(
    'form',
    { class: 'stack login', 'aria-labelledby': 'login-title' },
    h('h1', { id: 'login-title' }, 'Parley moderation'),
    h('label', { for: 'email' }, 'Email', email),
    h('label', { for: 'password' }, 'Password', password),
    error,
    h('button', { type: 'submit', class: 'primary' }, 'Log in'),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    try {
      const user = await session.login(email.value, password.value);
      if (!isStaff(user?.role)) {
        await session.logout();
        error.textContent = 'This account is not a moderator.';
        return;
      }
      showConsole();
    } catch (failure) {
      error.textContent = errorText(failure);
    }
  });
  replaceChildren(app, form);
  email.focus();
}

function showConsole(): void {
  const siteInput = h('input', { id: 'site', placeholder: 'all sites', value: state.site, size: 12 });
  siteInput.addEventListener('change', () => {
    state.site = siteInput.value.trim();
    void refresh();
  });
  const tabs = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
  for (const [tab, label] of [
    ['reported', 'Reported'],
    ['pending', 'Pending'],
    ['log', 'Log'],
    ['controls', 'Articles & bans'],
  ] as const) {
    tabs.append(
      h('button', { role: 'tab', id: `tab-${tab}`, 'aria-selected': String(state.tab === tab), onclick: () => switchTab(tab) }, label),
    );
  }
  replaceChildren(
    app,
    h(
      'header',
      { class: 'top' },
      h('h1', {}, 'Parley moderation'),
      h('label', { for: 'site', class: 'help' }, 'Site ', siteInput),
      h('span', { class: 'help', id: 'live', role: 'status' }, 'Connecting…'),
      h('span', { class: 'help' }, `Signed in as ${session.user?.displayName ?? ''}`),
      h('button', { onclick: () => void session.logout().then(() => location.reload()) }, 'Log out'),
    ),
    tabs,
    h('section', { class: 'panel', id: 'panel', role: 'tabpanel', tabindex: -1 }),
    h('p', { class: 'sr', id: 'announce', 'aria-live': 'polite' }),
  );
  void refresh();
  void goLive();
}

function switchTab(tab: Tab): void {
  state.tab = tab;
  state.current = 0;
  state.selected.clear();
  for (const button of app.querySelectorAll('nav.tabs button')) button.setAttribute('aria-selected', String(button.id === `tab-${tab}`));
  void refresh();
}

/** Bumped by every refresh: an answer that arrives after a newer refresh started (another tab) is dropped. */
let refreshes = 0;

async function refresh(): Promise<void> {
  const panel = document.getElementById('panel');
  if (!panel) return;
  const generation = ++refreshes;
  const superseded = () => generation !== refreshes;
  try {
    if (state.tab === 'log') return await renderLog(panel, superseded);
    if (state.tab === 'controls') return renderControls(panel);
    const page = await api.queue(state.tab, state.site || undefined);
    if (superseded()) return;
    state.items = page.items;
    state.current = Math.min(state.current, Math.max(0, state.items.length - 1));
    for (const id of state.selected) if (!state.items.some((item) => item.comment.id === id)) state.selected.delete(id);
    renderQueue(panel);
  } catch (error) {
    if (!superseded()) replaceChildren(panel, h('p', { class: 'error', role: 'alert' }, errorText(error)));
  }
}

function announce(text: string): void {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}

function renderQueue(panel: HTMLElement): void {
  const type = state.tab as QueueType;
  if (state.items.length === 0) {
    replaceChildren(panel, h('p', { class: 'empty' }, type === 'reported' ? 'No reported comments. Well done.' : 'Nothing awaits approval.'));
    return;
  }
  const bulk = h(
    'div',
    { class: 'bulk' },
    h('span', {}, `${state.items.length} in the queue · ${state.selected.size} selected`),
    h('button', { onclick: () => selectAll() }, 'Select all'),
    type === 'pending' ? h('button', { class: 'ok', onclick: () => void bulkAction('approve') }, 'Approve selected') : null,
    h('button', { class: 'danger', onclick: () => void bulkAction('remove') }, 'Remove selected'),
    h(
      'span',
      { class: 'help' },
      h('kbd', {}, 'j'), '/', h('kbd', {}, 'k'), ' move · ',
      h('kbd', {}, type === 'pending' ? 'a' : 'd'),
      type === 'pending' ? ' approve · ' : ' dismiss · ',
      h('kbd', {}, 'r'), ' remove · ', h('kbd', {}, 'b'), ' ban author · ', h('kbd', {}, 'x'), ' select',
    ),
  );
  replaceChildren(panel, bulk, ...state.items.map((item, index) => renderItem(item, index, type)));
  focusCurrent();
}

function renderItem(item: ModerationQueueItem, index: number, type: QueueType): HTMLElement {
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
      h('strong', {}, author.name),
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
      h('button', { class: 'danger', onclick: () => void act('remove', item) }, type === 'pending' ? 'Reject' : 'Remove'),
      h('button', { onclick: () => openBan(item) }, 'Ban author…'),
    ),
  );
}

function setCurrent(index: number, focus = true): void {
  if (index < 0 || index >= state.items.length) return;
  state.current = index;
  for (const [i, el] of document.querySelectorAll<HTMLElement>('.item').entries()) {
    el.setAttribute('aria-current', String(i === index));
    el.tabIndex = i === index ? 0 : -1;
  }
  if (focus) focusCurrent();
}

function focusCurrent(): void {
  document.querySelectorAll<HTMLElement>('.item')[state.current]?.focus();
}

function toggleSelected(id: string): void {
  if (state.selected.has(id)) state.selected.delete(id);
  else state.selected.add(id);
  const box = document.querySelector<HTMLInputElement>(`.item[data-id="${id}"] input[type=checkbox]`);
  if (box) box.checked = state.selected.has(id);
  const count = document.querySelector('.bulk span');
  if (count) count.textContent = `${state.items.length} in the queue · ${state.selected.size} selected`;
}

function selectAll(): void {
  for (const item of state.items) state.selected.add(item.comment.id);
  renderQueue(document.getElementById('panel')!);
}

async function act(action: 'approve' | 'remove' | 'dismiss', item: ModerationQueueItem): Promise<void> {
  const reason = 'Breaks the community rules';
  try {
    if (action === 'approve') await api.approve(item.comment.id);
    else if (action === 'dismiss') await api.dismiss(item.comment.id);
    else if (item.comment.status === 'pending') await api.reject(item.comment.id, reason);
    else await api.remove(item.comment.id, reason);
    announce(`${action === 'approve' ? 'Approved' : action === 'dismiss' ? 'Reports dismissed for' : 'Removed'} the comment by ${item.author.name}.`);
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
    const { results } = await api.bulk(action, ids, 'Breaks the community rules');
    const failed = results.filter((result) => !result.ok).length;
    state.selected.clear();
    announce(`${action === 'approve' ? 'Approved' : 'Removed'} ${results.length - failed} comments${failed ? `, ${failed} failed` : ''}.`);
    await refresh();
  } catch (error) {
    announce(errorText(error));
  }
}

function alertInItem(id: string, message: string): void {
  const el = document.querySelector(`.item[data-id="${id}"] .actions`);
  el?.append(h('span', { class: 'error', role: 'alert' }, message));
}

function openBan(item: ModerationQueueItem): void {
  const host = document.querySelector(`.item[data-id="${item.comment.id}"]`);
  if (!host || host.querySelector('form.ban')) return;
  const reason = h('input', { id: `ban-reason-${item.comment.id}`, value: 'Repeatedly breaks the community rules', required: true });
  const duration = h(
    'select',
    { id: `ban-until-${item.comment.id}` },
    h('option', { value: '1' }, '1 day'),
    h('option', { value: '7' }, '7 days'),
    h('option', { value: '30' }, '30 days'),
    h('option', { value: 'forever' }, 'Permanently'),
  );
  duration.value = '7';
  const removeAll = h('input', { type: 'checkbox', id: `ban-purge-${item.comment.id}` });
  const form = h(
    'form',
    { class: 'inline ban', 'aria-label': `Ban ${item.author.name}` },
    h('label', { for: reason.id }, 'Reason', reason),
    h('label', { for: duration.id }, 'For', duration),
    h('label', { for: removeAll.id }, h('span', {}, 'Also remove all their comments on this site'), removeAll),
    h('button', { type: 'submit', class: 'danger' }, `Ban ${item.author.name}`),
    h('button', { type: 'button', onclick: () => form.remove() }, 'Cancel'),
  );
  form.addEventListener('keydown', (event) => event.key === 'Escape' && form.remove());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const until = duration.value === 'forever' ? undefined : new Date(Date.now() + Number(duration.value) * 86_400_000).toISOString();
    try {
      await api.ban(item.author.id, item.article.site, reason.value, until);
      if (removeAll.checked) {
        if (!confirm(`Remove every comment by ${item.author.name} on ${item.article.site}?`)) return;
        await fetchRemoveAll(item, reason.value);
      }
      announce(`${item.author.name} is banned on ${item.article.site}.`);
      await refresh();
    } catch (error) {
      form.append(h('span', { class: 'error', role: 'alert' }, errorText(error)));
    }
  });
  host.append(form);
  reason.focus();
}

async function fetchRemoveAll(item: ModerationQueueItem, reason: string): Promise<void> {
  const token = await session.token();
  const response = await fetch(`${baseUrl}/api/moderation/sites/${item.article.site}/users/${item.author.id}/remove-all`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ reason, confirm: true }),
  });
  if (!response.ok) throw new Error(`remove-all answered ${response.status}`);
}

async function renderLog(panel: HTMLElement, superseded: () => boolean): Promise<void> {
  const { entries } = await api.log(state.site || undefined);
  if (superseded()) return;
  if (entries.length === 0) return replaceChildren(panel, h('p', { class: 'empty' }, 'No moderation actions yet.'));
  replaceChildren(
    panel,
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Who'), h('th', {}, 'Action'), h('th', {}, 'Target'), h('th', {}, 'Site'), h('th', {}, 'Reason'))),
      h(
        'tbody',
        {},
        ...entries.map((entry) =>
          h(
            'tr',
            {},
            h('td', {}, new Date(entry.createdAt).toLocaleString()),
            h('td', {}, entry.moderator.name),
            h('td', {}, entry.action),
            h('td', {}, `${entry.targetType} ${entry.targetId}`),
            h('td', {}, entry.site ?? ''),
            h('td', {}, entry.reason ?? ''),
          ),
        ),
      ),
    ),
  );
}

function renderControls(panel: HTMLElement): void {
  const message = h('p', { role: 'status' });
  const site = h('input', { id: 'ctl-site', value: state.site || 'demo', required: true });
  const article = h('input', { id: 'ctl-article', placeholder: 'article key', required: true });
  const articleForm = h(
    'form',
    { class: 'inline', 'aria-label': 'Article controls' },
    h('label', { for: site.id }, 'Site', site),
    h('label', { for: article.id }, 'Article', article),
    h('button', { type: 'button', class: 'danger', onclick: () => void setArticle({ state: 'closed' }) }, 'Close discussion'),
    h('button', { type: 'button', onclick: () => void setArticle({ state: 'open' }) }, 'Reopen'),
    h('button', { type: 'button', onclick: () => void setArticle({ premoderation: true }) }, 'Pre-moderate'),
    h('button', { type: 'button', onclick: () => void setArticle({ premoderation: false }) }, 'Publish directly'),
  );
  async function setArticle(changes: { state?: 'open' | 'closed'; premoderation?: boolean }) {
    try {
      await api.setArticle(site.value.trim(), article.value.trim(), changes);
      message.textContent = `Saved: ${article.value} ${changes.state ?? (changes.premoderation ? 'pre-moderated' : 'published directly')}.`;
    } catch (error) {
      message.textContent = errorText(error);
    }
  }
  const bansList = h('div', {});
  async function loadBans() {
    try {
      const { bans } = await api.bans(site.value.trim());
      replaceChildren(
        bansList,
        bans.length === 0
          ? h('p', { class: 'empty' }, 'Nobody is banned on this site.')
          : h(
              'table',
              {},
              h('thead', {}, h('tr', {}, h('th', {}, 'User'), h('th', {}, 'Reason'), h('th', {}, 'Until'), h('th', {}, ''))),
              h(
                'tbody',
                {},
                ...bans.map((ban) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, ban.userId),
                    h('td', {}, ban.reason),
                    h('td', {}, ban.until ? new Date(ban.until).toLocaleString() : 'permanently'),
                    h('td', {}, h('button', { onclick: () => void api.unban(ban.userId, site.value.trim()).then(loadBans) }, 'Unban')),
                  ),
                ),
              ),
            ),
      );
    } catch (error) {
      replaceChildren(bansList, h('p', { class: 'error' }, errorText(error)));
    }
  }
  replaceChildren(
    panel,
    h('h2', {}, 'Article'),
    articleForm,
    message,
    h('h2', {}, 'Bans'),
    h('button', { onclick: () => void loadBans() }, 'Show bans for this site'),
    bansList,
    h('h2', {}, 'Word lists'),
    wordListsEditor(() => site.value.trim()),
  );
}

/**
 * Banned words refuse a comment; suspect words hold it for review. One entry per line; a
 * trailing * matches word beginnings (идиот* also catches идиоты). Admins edit, moderators read.
 */
function wordListsEditor(site: () => string): HTMLElement {
  const admin = session.user ? roleCan(session.user.role, 'moderation.wordLists.write') : false;
  const banned = h('textarea', { id: 'words-banned', rows: 6, cols: 30, readonly: !admin });
  const suspect = h('textarea', { id: 'words-suspect', rows: 6, cols: 30, readonly: !admin });
  const status = h('p', { role: 'status' });
  const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
  const form = h(
    'form',
    { class: 'inline', 'aria-label': 'Word lists' },
    h('label', { for: banned.id }, 'Banned (refused)', banned),
    h('label', { for: suspect.id }, 'Suspect (held for review)', suspect),
    h('button', { type: 'button', onclick: () => void load() }, 'Load'),
    admin ? h('button', { type: 'submit', class: 'primary' }, 'Save word lists') : h('span', { class: 'help' }, 'Only admins can change the lists.'),
  );
  async function load() {
    try {
      const { wordLists } = await api.wordLists(site());
      banned.value = wordLists.banned.join('\n');
      suspect.value = wordLists.suspect.join('\n');
      status.textContent = `Loaded the lists of ${site()}.`;
    } catch (error) {
      status.textContent = errorText(error);
    }
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.setWordLists(site(), { banned: lines(banned.value), suspect: lines(suspect.value) });
      status.textContent = 'Saved. New and edited comments are checked against these lists.';
    } catch (error) {
      status.textContent = errorText(error);
    }
  });
  return h('div', {}, form, status);
}

async function goLive(): Promise<void> {
  const { io } = await import('socket.io-client');
  socket = io(baseUrl, { transports: ['websocket'], auth: (cb) => void session.token().then((token) => cb({ token })) });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const live = (text: string) => {
    const badge = document.getElementById('live');
    if (badge) badge.textContent = text;
  };
  socket.on('connect', () =>
    socket!.emit('moderation:join', {}, (ack) => {
      live(ack.ok ? '● Live' : 'Live updates refused');
      // Whatever changed between the first load and joining the room is picked up now.
      if (ack.ok && (state.tab === 'reported' || state.tab === 'pending')) void refresh();
    }),
  );
  socket.on('disconnect', () => live('Reconnecting…'));
  socket.on('moderation:queue', () => {
    // A burst of reports refreshes once.
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (state.tab === 'reported' || state.tab === 'pending') {
        announce('The queue changed.');
        void refresh();
      }
    }, 150);
  });
}

document.addEventListener('keydown', (event) => {
  const target = event.target as HTMLElement;
  if (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || event.ctrlKey || event.metaKey || event.altKey) return;
  if (state.tab !== 'reported' && state.tab !== 'pending') return;
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
      if (item) void act('remove', item);
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
});

void start();
