import type {
  CommentContext,
  CommentResponse,
  CountsResponse,
  ReactionResponse,
  RepliesPage,
  ReportReason,
  ThreadPage,
  ThreadSort,
  ThreadViewer,
} from '@parley/contracts';
import { ApiError, requestJson, type FetchLike, type JsonRequest } from './http';
import type { Session } from './session';
import { withViewer } from './thread-store';

export type { ReportReason };
/** The contract's reasons, repeated as a value (importing the contract's would bundle zod). */
export const reportReasons: readonly ReportReason[] = ['spam', 'abuse', 'off_topic', 'other'];

export interface ApiDeps {
  baseUrl: string;
  fetch: FetchLike;
  session: Session;
}

export const threadPageSize = 20;

/** A page as the widget loaded it; `viewerBan` only when the reader's own part came with it (undefined: not known). */
export type LoadedPage = ThreadPage & { viewerBan?: ThreadViewer['ban']; editWindowSeconds?: number; following?: boolean };
export const repliesPageSize = 20;

/** The public REST contract (docs: design.md), as the widget calls it. */
export function createApi({ baseUrl, fetch, session }: ApiDeps) {
  const root = baseUrl.replace(/\/$/, '');
  const path = (...parts: string[]) => parts.map(encodeURIComponent).join('/');

  /**
   * Sends the access token when there is one (or always, for `auth: 'required'`). A 401 for an ended session or an
   * expired token refreshes once (single-flight in Session) and retries; a session that cannot be
   * refreshed surfaces as the original 401.
   */
  async function call<T>(url: string, request: JsonRequest & { auth?: 'optional' | 'required' } = {}): Promise<T> {
    const token = await session.token().catch(() => null);
    if (!token && request.auth === 'required') {
      throw new ApiError(401, 'unauthenticated', 'Log in first.');
    }
    try {
      return await requestJson<T>(fetch, root + url, { ...request, token });
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 401 || !token) throw error;
      if (error.code !== 'token_expired' && error.code !== 'invalid_token' && error.code !== 'session_revoked') throw error;
      const fresh = await session.refresh();
      if (!fresh && request.auth === 'required') throw error;
      return requestJson<T>(fetch, root + url, { ...request, token: fresh });
    }
  }

  const revalidating: FetchLike = (input, init) => fetch(input, { ...init, cache: 'no-cache' });

  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
    return `?${search}`;
  };

  /**
   * A page of the discussion: the shared page, asked without a token so a CDN and the server's
   * cache serve it, and — when someone is logged in — beside it what only they know (their
   * reactions, their comments waiting for a moderator), laid over it. Without that part (it
   * failed, or the session just ended) the reader still gets the page.
   */
  async function thread(site: string, article: string, sort: ThreadSort, cursor?: string): Promise<LoadedPage> {
    const search = query({ sort, limit: threadPageSize, cursor });
    const loggedIn = (await session.token().catch(() => null)) !== null;
    const pageUrl = `${root}/api/sites/${path(site, 'articles', article, 'comments')}${search}`;
    const [page, viewer] = await Promise.all([
      // Anonymous readers may take a copy the browser keeps a few seconds (the live stream brings
      // what it lacks, from its seq). A logged-in reader's own part is of this moment, so their
      // page is revalidated: a 304 when nothing changed, never an older page than their reactions.
      loggedIn ? requestJson<ThreadPage>(revalidating, pageUrl) : requestJson<ThreadPage>(fetch, pageUrl),
      loggedIn
        ? call<ThreadViewer>(`/api/sites/${path(site, 'articles', article, 'viewer')}${search}`, { auth: 'required' }).catch(() => undefined)
        : undefined,
    ]);
    return viewer ? { ...withViewer(page, viewer, sort), viewerBan: viewer.ban, editWindowSeconds: viewer.editWindowSeconds, following: viewer.following } : page;
  }

  return {
    thread,
    /** Any other call of the public API with the reader's token (the account panel). */
    authorized: call,
    /**
     * The reader's own part asked afresh (its shortest page): their ban with its reason when the live
     * stream says it changed, why a moderator removed their comment when its removal arrives live.
     */
    viewer: (site: string, article: string) =>
      call<ThreadViewer>(`/api/sites/${path(site, 'articles', article, 'viewer')}${query({ limit: 1 })}`, { auth: 'required' }),
    /** Follows the discussion (mail digests of its new comments), or stops. */
    follow: (site: string, article: string, on: boolean) =>
      call<{ following: boolean }>(`/api/sites/${path(site, 'articles', article, 'follow')}`, { method: on ? 'PUT' : 'DELETE', auth: 'required' }),
    /** One comment with its article and ancestors, for a permalink. */
    comment: (commentId: string) => call<CommentContext>(`/api/comments/${path(commentId)}`),
    replies: (commentId: string, cursor?: string) =>
      call<RepliesPage>(`/api/comments/${path(commentId, 'replies')}${query({ limit: repliesPageSize, cursor })}`),
    post: (site: string, article: string, body: { body: string; parentId?: string; title?: string; url?: string }) =>
      call<CommentResponse>(`/api/sites/${path(site, 'articles', article, 'comments')}`, { method: 'POST', body, auth: 'required' }),
    edit: (commentId: string, body: string) =>
      call<CommentResponse>(`/api/comments/${path(commentId)}`, { method: 'PATCH', body: { body }, auth: 'required' }),
    remove: (commentId: string) => call<void>(`/api/comments/${path(commentId)}`, { method: 'DELETE', auth: 'required' }),
    react: (commentId: string, on: boolean) =>
      call<ReactionResponse>(`/api/comments/${path(commentId, 'reaction')}`, { method: on ? 'PUT' : 'DELETE', auth: 'required' }),
    report: (commentId: string, reason: ReportReason, note?: string) =>
      call<unknown>(`/api/comments/${path(commentId, 'reports')}`, {
        method: 'POST',
        body: note ? { reason, note } : { reason },
        auth: 'required',
      }),
    counts: (site: string, articles: string[]) =>
      call<CountsResponse>(`/api/sites/${path(site)}/counts${query({ articles: articles.join(',') })}`),
  };
}

export type Api = ReturnType<typeof createApi>;
