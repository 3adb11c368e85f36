import type { AuthSession, Scope, User } from '@parley/contracts';
import { ApiError, requestJson, type FetchLike } from './http';

/**
 * The reader's session inside a publisher page (docs/adr/0006-widget-sessions.md): no cookies; the
 * access token lives only in memory, the refresh token in localStorage under a key namespaced by
 * the Parley origin, so a reload keeps the reader logged in.
 */

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Runs `task` while holding a lock shared by every tab of the page's origin (navigator.locks). */
export type LockFn = <T>(name: string, task: () => Promise<T>) => Promise<T>;

export type SessionChange = 'login' | 'refresh' | 'logout' | 'expired';

export interface SessionDeps {
  /** The Parley origin (and path prefix, if any), e.g. "https://comments.example.com". */
  baseUrl: string;
  fetch: FetchLike;
  /** null when storage is blocked: the session then lasts as long as the page. */
  storage: StorageLike | null;
  now?: () => number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  lock?: LockFn;
}

/** Refresh this long before the access token expires, so requests never carry a stale one. */
export const refreshMarginMs = 60_000;

const noLock: LockFn = (_name, task) => task();

export function storageKeyFor(baseUrl: string): string {
  return `parley:${new URL(baseUrl).origin}:refresh`;
}

export class Session {
  user: User | null = null;
  private accessToken: string | null = null;
  private expiresAt = 0;
  private refreshing: Promise<string | null> | null = null;
  private readonly signOns = new Map<string, Promise<User>>();
  private timer: unknown = null;
  private readonly listeners = new Set<(change: SessionChange, user: User | null) => void>();
  readonly storageKey: string;
  private readonly now: () => number;
  private readonly lock: LockFn;

  constructor(private readonly deps: SessionDeps) {
    this.storageKey = storageKeyFor(deps.baseUrl);
    this.now = deps.now ?? Date.now;
    this.lock = deps.lock ?? noLock;
  }

  get loggedIn(): boolean {
    return this.user !== null;
  }

  onChange(listener: (change: SessionChange, user: User | null) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** After a reload: trade the stored refresh token for a fresh access token, if there is one. */
  async restore(): Promise<User | null> {
    if (!this.readStored()) return null;
    try {
      await this.refresh();
    } catch {
      // Offline or the service is down: stay logged out for now but keep the refresh token.
    }
    return this.user;
  }

  /** `code`: a staff account's second factor (the console only; the widget never asks for one). */
  login(email: string, password: string, code?: string): Promise<User> {
    return this.start('/auth/login', code ? { email, password, code } : { email, password });
  }

  /**
   * What the last login said about a staff account's second factor (`required`: log in with a code;
   * `enrol`: set one up), for the console; undefined otherwise.
   */
  secondFactor: AuthSession['secondFactor'];

  /** The scope of the current access token (what the console shows depends on it); null when logged out. */
  get scope(): Scope | null {
    if (!this.accessToken) return null;
    try {
      const payload = JSON.parse(atob(this.accessToken.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/'))) as { scope?: Scope };
      return payload.scope ?? 'participant';
    } catch {
      return 'participant';
    }
  }

  /** Takes over a session the API handed out some other way (the console: confirming a second factor). */
  use(session: AuthSession): void {
    this.accept(session, 'login');
  }

  register(email: string, password: string, displayName: string): Promise<User> {
    return this.start('/auth/register', { email, password, displayName });
  }

  /**
   * Publisher sign-on: trades a token the news site signed for its reader (POST /auth/sso) for a
   * session kept like any other. A token works once, so the same token handed over twice (two
   * widgets on one page, an attribute set again) is exchanged once and both callers share it.
   */
  signOn(site: string, token: string): Promise<User> {
    let pending = this.signOns.get(token);
    if (!pending) {
      pending = this.start('/auth/sso', { site, token });
      this.signOns.set(token, pending);
      // A failed exchange may be retried by the page with a fresh token; a used one is spent either way.
      pending.catch(() => undefined);
    }
    return pending;
  }

  /** OpenID Connect: trades the single-use code the login popup handed over for a session (widget/oidc-login.ts). */
  completeProviderLogin(code: string): Promise<User> {
    return this.start('/auth/oidc/exchange', { code });
  }

  async logout(): Promise<void> {
    const refreshToken = this.readStored();
    this.clear('logout');
    if (!refreshToken) return;
    try {
      await requestJson<void>(this.deps.fetch, this.url('/auth/logout'), { method: 'POST', body: { refreshToken } });
    } catch {
      // Locally we are logged out either way; the family expires on its own.
    }
  }

  /** A usable access token (refreshed first when close to expiry), or null when logged out. */
  async token(): Promise<string | null> {
    if (!this.accessToken) return this.refreshing ? this.refreshing : null;
    if (this.now() < this.expiresAt - refreshMarginMs / 2) return this.accessToken;
    return this.refresh();
  }

  /**
   * Trades the refresh token for a new pair. Single-flight: callers that arrive while a refresh is
   * running share it, so one refresh token is never spent twice (which would revoke the family).
   * Resolves null when the session is over (spent, revoked or unknown refresh token).
   */
  refresh(): Promise<string | null> {
    this.refreshing ??= this.lock(this.storageKey, async () => {
      // Another tab may have rotated the token while we waited for the lock: read it afresh.
      const refreshToken = this.readStored();
      if (!refreshToken) {
        if (this.user) this.clear('expired');
        return null;
      }
      try {
        const session = await requestJson<AuthSession>(this.deps.fetch, this.url('/auth/refresh'), {
          method: 'POST',
          body: { refreshToken },
        });
        this.accept(session, this.user ? 'refresh' : 'login');
        return session.accessToken;
      } catch (error) {
        if (error instanceof ApiError && isSessionOver(error)) {
          this.deps.storage?.removeItem(this.storageKey);
          this.clear('expired');
          return null;
        }
        throw error;
      }
    }).finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  /** Another tab logged out (the `storage` event): follow it. */
  storageChanged(key: string | null, newValue: string | null): void {
    if ((key === null || key === this.storageKey) && newValue === null && this.user) this.clear('logout');
  }

  /** Stops the refresh timer (the widget was removed from the page). */
  dispose(): void {
    this.cancelTimer();
    this.listeners.clear();
  }

  private async start(path: string, body: Record<string, string>): Promise<User> {
    const session = await requestJson<AuthSession>(this.deps.fetch, this.url(path), { method: 'POST', body });
    this.accept(session, 'login');
    return session.user;
  }

  private accept(session: AuthSession, change: SessionChange): void {
    this.user = session.user;
    this.secondFactor = session.secondFactor;
    this.accessToken = session.accessToken;
    this.expiresAt = this.now() + session.expiresIn * 1000;
    try {
      this.deps.storage?.setItem(this.storageKey, session.refreshToken);
    } catch {
      // Storage full or blocked: the session still works until the page closes.
    }
    this.schedule(session.expiresIn * 1000);
    this.emit(change);
  }

  private clear(change: SessionChange): void {
    const wasLoggedIn = this.user !== null;
    this.user = null;
    this.accessToken = null;
    this.expiresAt = 0;
    this.cancelTimer();
    if (change === 'logout') this.deps.storage?.removeItem(this.storageKey);
    if (wasLoggedIn || change === 'logout') this.emit(change);
  }

  private schedule(lifetimeMs: number): void {
    this.cancelTimer();
    if (!this.deps.setTimer) return;
    const delay = Math.max(5_000, lifetimeMs - refreshMarginMs);
    this.timer = this.deps.setTimer(() => {
      this.timer = null;
      this.refresh().catch(() => {
        // Offline: the next request refreshes on demand (401 token_expired) instead.
      });
    }, delay);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.deps.clearTimer?.(this.timer);
    this.timer = null;
  }

  private readStored(): string | null {
    try {
      return this.deps.storage?.getItem(this.storageKey) ?? null;
    } catch {
      return null;
    }
  }

  private emit(change: SessionChange): void {
    for (const listener of this.listeners) listener(change, this.user);
  }

  private url(path: string): string {
    return this.deps.baseUrl.replace(/\/$/, '') + path;
  }
}

/** Answers to /auth/refresh that mean "log in again", as opposed to a passing network failure. */
function isSessionOver(error: ApiError): boolean {
  return (
    error.code === 'invalid_refresh_token' ||
    error.code === 'refresh_token_reused' ||
    error.code === 'validation_failed' ||
    error.status === 401
  );
}
