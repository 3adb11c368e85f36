import type {
  AdminSiteResponse,
  AuthorHistoryPage,
  ModerationAction,
  PersonRecord,
  AdminSitesResponse,
  ArticleModerationRequest,
  BanResponse,
  BansPage,
  BulkModerationRequest,
  BulkModerationResponse,
  CommentResponse,
  CreateSiteRequest,
  CreateSsoKeyRequest,
  ImportJobResponse,
  ImportSource,
  ModeratedArticleResponse,
  ModeratedArticlesPage,
  ModerationLogPage,
  ModerationQueuePage,
  ModerationView,
  RemoveAllResponse,
  TotpConfirmed,
  TotpEnrolment,
  NotificationSettings,
  OidcProviderResponse,
  Role,
  SetOidcProviderRequest,
  SsoKeyCreated,
  SsoKeysResponse,
  UpdateSiteRequest,
  UserResponse,
  WordListsResponse,
  WordListsUpdate,
} from '@parley/contracts';
import { ApiError, requestJson, type FetchLike } from '../http';
import type { Session } from '../session';

/**
 * The endpoints the console calls (moderation, site and staff administration), with the logged-in
 * moderator's token. Which of them a viewer may call is the policy's to say, not this file's.
 */
export function createModerationApi(baseUrl: string, fetchImpl: FetchLike, session: Session) {
  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    return requestJson<T>(fetchImpl, `${baseUrl}${path}`, { method, body, token: await session.token() });
  }
  /** A file as the raw body (an export to import): never read into the page, the browser streams it. */
  async function upload<T>(path: string, file: Blob): Promise<T> {
    let response: Response;
    try {
      response = await fetchImpl(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { Accept: 'application/json', 'Content-Type': 'application/octet-stream', Authorization: `Bearer ${await session.token()}` },
        body: file,
        credentials: 'omit',
      });
    } catch (error) {
      throw new ApiError(0, 'network_error', error instanceof Error ? error.message : 'Network error');
    }
    const parsed = (await response.json().catch(() => undefined)) as { error?: { code?: ApiError['code']; message?: string; details?: unknown } } | undefined;
    if (response.ok && parsed) return parsed as T;
    throw new ApiError(response.status, parsed?.error?.code ?? 'bad_response', parsed?.error?.message ?? `HTTP ${response.status}`, parsed?.error?.details);
  }
  const query = (params: Record<string, string | undefined>) => {
    const search = new URLSearchParams(Object.entries(params).filter((entry): entry is [string, string] => Boolean(entry[1])));
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  return {
    /** Staff second factor: enrolment in the participant session a password-only sign-in gives. */
    /** The staff member's mail settings; `queue`: mail about new items in their queue. */
    notificationSettings: () => call<{ notifications: NotificationSettings }>('GET', '/auth/me/notifications'),
    setQueueMail: (queue: boolean) => call<{ notifications: NotificationSettings }>('PUT', '/auth/me/notifications', { queue }),
    startTotp: () => call<TotpEnrolment>('POST', '/auth/second-factor/totp'),
    confirmTotp: (code: string) => call<TotpConfirmed>('POST', '/auth/second-factor/totp/confirm', { code }),
    queue: (type: ModerationView, filters: { site?: string; article?: string; q?: string; cursor?: string; limit?: number } = {}) =>
      call<ModerationQueuePage>(
        'GET',
        `/api/moderation/queue${query({ type, site: filters.site, article: filters.article, q: filters.q, cursor: filters.cursor, limit: String(filters.limit ?? 50) })}`,
      ),
    remove: (id: string, reason: string) => call<CommentResponse>('POST', `/api/moderation/comments/${id}/remove`, { reason }),
    restore: (id: string) => call<CommentResponse>('POST', `/api/moderation/comments/${id}/restore`, {}),
    approve: (id: string) => call<CommentResponse>('POST', `/api/moderation/comments/${id}/approve`, {}),
    reject: (id: string, reason: string) => call<CommentResponse>('POST', `/api/moderation/comments/${id}/reject`, { reason }),
    undo: (id: string) => call<CommentResponse>('POST', `/api/moderation/comments/${id}/undo`, {}),
    removeAll: (site: string, userId: string, reason: string) =>
      call<RemoveAllResponse>('POST', `/api/moderation/sites/${encodeURIComponent(site)}/users/${encodeURIComponent(userId)}/remove-all`, { reason, confirm: true }),
    dismiss: (id: string) => call<CommentResponse>('POST', `/api/moderation/comments/${id}/reports/dismiss`, {}),
    bulk: (action: BulkModerationRequest['action'], ids: string[], reason?: string) =>
      call<BulkModerationResponse>('POST', '/api/moderation/comments/bulk', { action, ids, reason }),
    ban: (userId: string, site: string, reason: string, until?: string) =>
      call<BanResponse>('POST', `/api/moderation/users/${userId}/ban`, { site, reason, ...(until ? { until } : {}) }),
    unban: (userId: string, site: string) => call<void>('DELETE', `/api/moderation/users/${userId}/ban${query({ site })}`),
    bans: (site: string) => call<BansPage>('GET', `/api/moderation/sites/${site}/bans`),
    articles: (site: string, filters: { state?: 'open' | 'closed'; q?: string; cursor?: string } = {}) =>
      call<ModeratedArticlesPage>('GET', `/api/moderation/sites/${encodeURIComponent(site)}/articles${query({ ...filters, limit: '50' })}`),
    setArticle: (site: string, article: string, changes: ArticleModerationRequest) =>
      call<ModeratedArticleResponse>('PATCH', `/api/moderation/sites/${encodeURIComponent(site)}/articles/${encodeURIComponent(article)}`, changes),
    wordLists: (site: string) => call<WordListsResponse>('GET', `/api/moderation/sites/${site}/word-lists`),
    setWordLists: (site: string, lists: WordListsUpdate) => call<WordListsResponse>('PUT', `/api/moderation/sites/${site}/word-lists`, lists),
    log: (site?: string, cursor?: string) => call<ModerationLogPage>('GET', `/api/moderation/log${query({ site, cursor, limit: '50' })}`),
    person: (userId: string, site?: string) => call<PersonRecord>('GET', `/api/moderation/users/${encodeURIComponent(userId)}/record${query({ site })}`),
    personComments: (userId: string, site?: string) =>
      call<AuthorHistoryPage>('GET', `/api/moderation/users/${encodeURIComponent(userId)}/comments${query({ site, limit: '20' })}`),
    addNote: (userId: string, site: string, note: string) =>
      call<ModerationAction>('POST', `/api/moderation/users/${encodeURIComponent(userId)}/notes`, { site, note }),
    sites: () => call<AdminSitesResponse>('GET', '/api/admin/sites'),
    site: (site: string) => call<AdminSiteResponse>('GET', `/api/admin/sites/${encodeURIComponent(site)}`),
    createSite: (site: CreateSiteRequest) => call<AdminSiteResponse>('POST', '/api/admin/sites', site),
    updateSite: (site: string, changes: UpdateSiteRequest) => call<AdminSiteResponse>('PATCH', `/api/admin/sites/${encodeURIComponent(site)}`, changes),
    startImport: (site: string, format: ImportSource, dryRun: boolean, file: Blob) =>
      upload<ImportJobResponse>(`/api/admin/sites/${encodeURIComponent(site)}/imports${query({ format, dryRun: dryRun ? 'true' : undefined })}`, file),
    importJob: (site: string, id: string) => call<ImportJobResponse>('GET', `/api/admin/sites/${encodeURIComponent(site)}/imports/${encodeURIComponent(id)}`),
    resetSecondFactor: (userId: string) => call<void>('DELETE', `/auth/users/${userId}/second-factor`),
    findUser: (email: string) => call<UserResponse>('GET', `/auth/users${query({ email })}`),
    setRole: (userId: string, role: Role, sites?: string[]) =>
      call<UserResponse>('PUT', `/auth/users/${encodeURIComponent(userId)}/role`, { role, ...(sites ? { sites } : {}) }),
    ssoKeys: (site: string) => call<SsoKeysResponse>('GET', `/auth/admin/sites/${encodeURIComponent(site)}/sso-keys`),
    createSsoKey: (site: string, key: CreateSsoKeyRequest) => call<SsoKeyCreated>('POST', `/auth/admin/sites/${encodeURIComponent(site)}/sso-keys`, key),
    oidcProvider: (site: string) => call<OidcProviderResponse>('GET', `/auth/admin/sites/${encodeURIComponent(site)}/oidc`),
    setOidcProvider: (site: string, provider: SetOidcProviderRequest) =>
      call<OidcProviderResponse>('PUT', `/auth/admin/sites/${encodeURIComponent(site)}/oidc`, provider),
    removeOidcProvider: (site: string) => call<void>('DELETE', `/auth/admin/sites/${encodeURIComponent(site)}/oidc`),
    removeSsoKey: (site: string, kid: string) => call<void>('DELETE', `/auth/admin/sites/${encodeURIComponent(site)}/sso-keys/${encodeURIComponent(kid)}`),
  };
}

export type ModerationApi = ReturnType<typeof createModerationApi>;
