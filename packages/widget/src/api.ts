import type {
  CommentResponse,
  CountsResponse,
  ReactionResponse,
  RepliesPage,
  ReportReason,
  ThreadPage,
  ThreadSort,
} from '@parley/contracts';
import { ApiError, requestJson, type FetchLike, type JsonRequest } from './http';
import type { Session } from './session';

export type { ReportReason };
/** The contract's reasons, repeated as a value (importing the contract's would bundle zod). */
export const reportReasons: readonly ReportReason[] = ['spam', 'abuse', 'off_topic', 'other'];

export interface ApiDeps {
  baseUrl: string;
  fetch: FetchLike;
  session: Session;
}

export const threadPageSize = 20;
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

  const query = (params: Record<string, string | number | undefined>) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, String(value));
    return `?${search}`;
  };

  return {
    thread: (site: string, article: string, sort: ThreadSort, cursor?: string) =>
      call<ThreadPage>(`/api/sites/${path(site, 'articles', article, 'comments')}${query({ sort, limit: threadPageSize, cursor })}`),
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
