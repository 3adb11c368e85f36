import type { AdminSite, ModerationQueueItem, ModerationView } from '@parley/contracts';
import { isApiError } from '../http';
import { Session } from '../session';
import { createModerationApi, type ModerationApi } from './moderation-api';

// What the console's views share: one session on the Parley origin, its API, and what is on screen.

/** Which view the panel shows. */
export type Tab = ModerationView | 'log' | 'controls' | 'sites' | 'staff';

/** The tabs that list comments (the queues and the removed and approved views). */
export const isListTab = (tab: Tab): tab is ModerationView => tab === 'reported' || tab === 'pending' || tab === 'removed' || tab === 'approved';

export const baseUrl = location.origin;
export const session = new Session({ baseUrl, fetch: (input, init) => fetch(input, init), storage: safeStorage() });
export const api: ModerationApi = createModerationApi(baseUrl, (input, init) => fetch(input, init), session);
export const app = document.getElementById('app')!;

export const state = {
  tab: 'reported' as Tab,
  /** The queue filter: one site, or '' for every site the viewer moderates. */
  site: new URLSearchParams(location.search).get('site') ?? '',
  /** The sites the viewer may see (admins: all; moderators: theirs), as last loaded. */
  sites: [] as AdminSite[],
  items: [] as ModerationQueueItem[],
  /** The list's total with the filters, and where its next page starts (null: all shown). */
  total: 0,
  nextCursor: null as string | null,
  /** The list filters: text or author, and one article of the chosen site. */
  q: '',
  article: '',
  current: 0,
  selected: new Set<string>(),
  status: '',
};

function safeStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

export const errorText = (error: unknown) => (isApiError(error) ? error.message : 'Something went wrong; try again.');

export function announce(text: string): void {
  const region = document.getElementById('announce');
  if (region) region.textContent = text;
}

let redraw: () => Promise<void> = () => Promise.resolve();

/** index.ts, which knows the tabs, says how the open one is drawn. */
export function onRefresh(draw: () => Promise<void>): void {
  redraw = draw;
}

/** Draws the open tab afresh: after an action, or when the queue changed live. */
export function refresh(): Promise<void> {
  return redraw();
}

const sitesListeners = new Set<(sites: AdminSite[]) => void>();

/** Called with the list whenever it is loaded again or a site is added or changed (the queue filter listens). */
export function onSitesChanged(listener: (sites: AdminSite[]) => void): void {
  sitesListeners.add(listener);
}

/** Puts the sites in `state.sites` and tells whoever listens. */
export function setSites(sites: AdminSite[]): void {
  state.sites = [...sites].sort((a, b) => a.id.localeCompare(b.id));
  for (const listener of sitesListeners) listener(state.sites);
}

/** Loads the sites the viewer may see (admins: all; moderators: theirs). */
export async function loadSites(): Promise<AdminSite[]> {
  setSites((await api.sites()).sites);
  return state.sites;
}
