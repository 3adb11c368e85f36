import type { User } from '@parley/contracts';
import { Session, type LockFn, type StorageLike } from '../session';

// One session per Parley origin for the whole page, so several widgets share a login.
const sessions = new Map<string, { session: Session; restored: Promise<unknown> }>();

function localStorageOrNull(): StorageLike | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The discussions on the page, so `window.parley.login(token)` knows which site and Parley to sign in to. */
const widgets: { site: string; baseUrl: string }[] = [];

/** What a publisher's page script can call once the widget has loaded (`parley:ready` on window says when). */
export interface PageApi {
  /** Signs the reader in with a token the publisher's server signed (docs/publishers.md); `site` defaults to the first discussion's. */
  login(token: string, options?: { site?: string }): Promise<User>;
  /** Ends the reader's Parley session on this page (the publisher's own logout should call it). */
  logout(): Promise<void>;
}

declare global {
  interface Window {
    parley?: PageApi;
  }
}

/** Registers a discussion on the page (for `window.parley`); returns what unregisters it. */
export function registerWidget(site: string, baseUrl: string): () => void {
  const entry = { site, baseUrl };
  widgets.push(entry);
  installPageApi();
  return () => {
    const index = widgets.indexOf(entry);
    if (index >= 0) widgets.splice(index, 1);
  };
}

function installPageApi(): void {
  if (window.parley) return;
  window.parley = {
    async login(token, options = {}) {
      const widget = options.site ? widgets.find((entry) => entry.site === options.site) : widgets[0];
      if (!widget) throw new Error(options.site ? `No <parley-comments site="${options.site}"> on this page.` : 'No <parley-comments> on this page yet.');
      const { session, restored } = sessionFor(widget.baseUrl);
      await restored;
      return session.signOn(widget.site, token);
    },
    async logout() {
      await Promise.all([...sessions.values()].map(({ session }) => session.logout()));
    },
  };
  window.dispatchEvent(new CustomEvent('parley:ready'));
}

/** The page's session for `baseUrl`, made (and restored from storage) by the first widget that asks. */
export function sessionFor(baseUrl: string) {
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
