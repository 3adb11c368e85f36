import { isStaff, roleCan, type Action } from '@parley/contracts/policy';
import { h, replaceChildren } from '../widget/dom';
import { api, app, errorText, isListTab, loadSites, onRefresh, refresh, session, state, type Tab } from './context';
import { renderControls } from './controls-view';
import { goLive } from './live-updates';
import { renderLog } from './log-view';
import { showLogin } from './login-view';
import { listFilters, queueKeys, renderQueue } from './queue-view';
import { siteFilter } from './site-filter';
import { renderSites } from './sites-view';
import { renderStaff } from './staff-view';

/**
 * The moderator console at /moderate on the Parley origin: the reported and pending queues
 * (updated live through the moderation room), one-key actions, bulk actions, article controls,
 * bans and the log; for admins also sites and staff. Same-origin with the API, so its session is
 * first-party.
 * This file is the shell: login or console, the tabs, and which view the open tab draws.
 */

async function start(): Promise<void> {
  const user = await session.restore().catch(() => null);
  // Only a staff session opens the console; a staff account's participant one signs in again with a code.
  if (isStaff(user?.role) && session.scope === 'staff') return showConsole();
  if (user) await session.logout();
  showLogin(user && !isStaff(user.role) ? 'This account is not a moderator.' : '', showConsole);
}

/** The tabs, each shown to whoever the policy lets do what it is for. */
const tabList: [Tab, string, Action][] = [
  ['reported', 'Reported', 'moderation.queue'],
  ['pending', 'Pending', 'moderation.queue'],
  ['removed', 'Removed', 'moderation.queue'],
  ['approved', 'Approved', 'moderation.queue'],
  ['log', 'Log', 'moderation.log'],
  ['controls', 'Articles & bans', 'moderation.article'],
  ['sites', 'Sites', 'sites.read'],
  ['staff', 'Staff', 'users.find'],
];

function showConsole(): void {
  const role = session.user?.role;
  const tabs = h('nav', { class: 'tabs', role: 'tablist', 'aria-label': 'Views' });
  for (const [tab, label, action] of tabList) {
    if (!role || !roleCan(role, action)) continue;
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
      h('label', { for: 'site', class: 'help site-filter' }, 'Site ', siteFilter()),
      h(
        'span',
        { class: 'who' },
        h('span', { class: 'help', id: 'live', role: 'status' }, 'Connecting…'),
        h('span', { class: 'help' }, `Signed in as ${session.user?.displayName ?? ''}`),
        queueMailToggle(),
        h('button', { onclick: () => void session.logout().then(() => location.reload()) }, 'Log out'),
      ),
    ),
    tabs,
    listFilters(),
    h('div', { class: 'undo', id: 'undo', 'aria-live': 'polite' }),
    h('section', { class: 'panel', id: 'panel', role: 'tabpanel', tabindex: -1 }),
    h('p', { class: 'sr', id: 'announce', 'aria-live': 'polite' }),
  );
  void refresh();
  void goLive();
  void loadSites().catch(() => undefined); // the filter offers "All my sites" until the list arrives
}

/**
 * "Mail me new queue items": at most one mail per FOLLOW_DIGEST_MINUTES about the sites this
 * staff member moderates (ADR 0022). Enabled once the setting has loaded.
 */
function queueMailToggle(): HTMLElement {
  const box = h('input', { type: 'checkbox', id: 'queue-mail', disabled: true });
  const status = h('span', { class: 'sr', role: 'status' });
  void api.notificationSettings().then(
    ({ notifications }) => {
      box.checked = notifications.queue === true;
      box.disabled = false;
    },
    () => undefined,
  );
  box.onchange = () =>
    void api.setQueueMail(box.checked).then(
      ({ notifications }) => {
        box.checked = notifications.queue === true;
        status.textContent = box.checked ? 'You will be mailed about new queue items.' : 'No more mail about new queue items.';
      },
      (error: unknown) => {
        box.checked = !box.checked;
        status.textContent = errorText(error);
      },
    );
  return h('label', { class: 'help queue-mail', for: 'queue-mail' }, box, 'Mail me new queue items', status);
}

function switchTab(tab: Tab): void {
  state.tab = tab;
  state.current = 0;
  state.selected.clear();
  state.nextCursor = null;
  state.items = [];
  const filters = document.getElementById('filters');
  if (filters) filters.hidden = !isListTab(tab);
  for (const button of app.querySelectorAll('nav.tabs button')) button.setAttribute('aria-selected', String(button.id === `tab-${tab}`));
  void refresh();
}

/** Bumped by every refresh: an answer that arrives after a newer refresh started (another tab) is dropped. */
let refreshes = 0;

onRefresh(async () => {
  const panel = document.getElementById('panel');
  if (!panel) return;
  const generation = ++refreshes;
  const superseded = () => generation !== refreshes;
  try {
    if (state.tab === 'log') return await renderLog(panel, superseded);
    if (state.tab === 'controls') return renderControls(panel);
    if (state.tab === 'sites') return await renderSites(panel, superseded);
    if (state.tab === 'staff') return await renderStaff(panel, superseded);
    if (!isListTab(state.tab)) return;
    // The pages already shown are read again (up to 100), so a live change doesn't fold the list back to one page.
    const limit = Math.min(100, Math.max(50, state.items.length));
    const page = await api.queue(state.tab, { site: state.site || undefined, article: (state.site && state.article) || undefined, q: state.q || undefined, limit });
    if (superseded()) return;
    state.items = page.items;
    state.total = page.total;
    state.nextCursor = page.nextCursor;
    state.current = Math.min(state.current, Math.max(0, state.items.length - 1));
    for (const id of state.selected) if (!state.items.some((item) => item.comment.id === id)) state.selected.delete(id);
    renderQueue(panel);
  } catch (error) {
    if (!superseded()) replaceChildren(panel, h('p', { class: 'error', role: 'alert' }, errorText(error)));
  }
});

document.addEventListener('keydown', queueKeys);

void start();
