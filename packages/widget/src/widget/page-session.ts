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
