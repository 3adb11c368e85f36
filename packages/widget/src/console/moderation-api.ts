import type { Comment } from '@parley/contracts';
import { requestJson, type FetchLike } from '../http';
import type { Session } from '../session';

/** One entry of a moderation queue, as the comments service presents it to moderators. */
export interface QueueItem {
  comment: Comment;
  article: { site: string; key: string; title: string | null; url: string | null };
  parent: Comment | null;
  reportCount?: number;
  reasons?: Record<string, number>;
  notes?: string[];
  firstReportedAt?: string;
  author: { id: string; name: string; recentCount?: number; removedCount?: number; banned?: boolean };
}

export interface LogEntry {
  id: string;
  moderatorName?: string;
  moderator?: { id: string; name: string };
  action: string;
  targetType?: string;
  targetId?: string;
  siteId?: string | null;
  site?: string | null;
  reason?: string | null;
  createdAt: string;
}

export type QueueType = 'reported' | 'pending';

/** The moderation endpoints of the public contract, with the logged-in moderator's token. */
export function createModerationApi(baseUrl: string, fetchImpl: FetchLike, session: Session) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(fetchImpl, `${baseUrl}${path}`, { method, body, token: await session.token() });
  }
  const query = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])));
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  return {
    queue: (type: QueueType, site?: string, cursor?: string) =>
      call<{ items: QueueItem[]; nextCursor: string | null }>('GET', `/api/moderation/queue${query({ type, site, cursor, limit: '50' })}`),
    remove: (id: string, reason: string) => call<{ comment: Comment }>('POST', `/api/moderation/comments/${id}/remove`, { reason }),
    restore: (id: string) => call<{ comment: Comment }>('POST', `/api/moderation/comments/${id}/restore`, {}),
    approve: (id: string) => call<{ comment: Comment }>('POST', `/api/moderation/comments/${id}/approve`, {}),
    reject: (id: string, reason: string) => call<{ comment: Comment }>('POST', `/api/moderation/comments/${id}/reject`, { reason }),
    dismiss: (id: string) => call<unknown>('POST', `/api/moderation/comments/${id}/reports/dismiss`, {}),
    bulk: (action: 'approve' | 'remove', ids: string[], reason?: string) =>
      call<{ results: { id: string; ok: boolean }[] }>('POST', '/api/moderation/comments/bulk', { action, ids, reason }),
    ban: (userId: string, site: string, reason: string, until?: string) =>
      call<unknown>('POST', `/api/moderation/users/${userId}/ban`, { site, reason, ...(until ? { until } : {}) }),
    unban: (userId: string, site: string) => call<unknown>('DELETE', `/api/moderation/users/${userId}/ban${query({ site })}`),
    bans: (site: string) => call<{ bans: { userId: string; reason: string; until: string | null; createdAt: string }[] }>('GET', `/api/moderation/sites/${site}/bans`),
    setArticle: (site: string, article: string, changes: { state?: 'open' | 'closed'; premoderation?: boolean | null }) =>
      call<unknown>('PATCH', `/api/moderation/sites/${site}/articles/${article}`, changes),
    wordLists: (site: string) =>
      call<{ wordLists: { banned: string[]; suspect: string[] }; updatedAt: string | null }>('GET', `/api/moderation/sites/${site}/word-lists`),
    setWordLists: (site: string, lists: { banned: string[]; suspect: string[] }) =>
      call<unknown>('PUT', `/api/moderation/sites/${site}/word-lists`, lists),
    log: (site?: string) => call<{ entries?: LogEntry[]; items?: LogEntry[]; nextCursor: string | null }>('GET', `/api/moderation/log${query({ site, limit: '50' })}`),
  };
}

export type ModerationApi = ReturnType<typeof createModerationApi>;
