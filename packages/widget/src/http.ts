import type { ErrorBody, ErrorCode, FieldIssue } from '@parley/contracts';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** Codes the widget adds for failures that never reached (or never came back from) the API. */
export type ClientErrorCode = 'network_error' | 'bad_response';

/** Every failed call ends as one of these, whatever went wrong. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly details?: unknown,
    /** Seconds, from the Retry-After header of a 429 or 503. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The `details` of a `validation_failed`, as field → message. */
  get fieldIssues(): FieldIssue[] {
    return Array.isArray(this.details)
      ? this.details.filter((d): d is FieldIssue => typeof d?.field === 'string' && typeof d?.message === 'string')
      : [];
  }
}

export interface JsonRequest {
  method?: string;
  body?: unknown;
  token?: string | null;
  signal?: AbortSignal;
}

/**
 * A cross-origin JSON call: no cookies ever (`credentials: 'omit'`), the token as a Bearer header.
 * Resolves with the parsed body (undefined for 204) or rejects with an ApiError.
 */
export async function requestJson<T>(fetchImpl: FetchLike, url: string, request: JsonRequest = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (request.body !== undefined) headers['Content-Type'] = 'application/json';
  if (request.token) headers.Authorization = `Bearer ${request.token}`;
  let response: Response;
  try {
    response = await fetchImpl(url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      credentials: 'omit',
      mode: 'cors',
      signal: request.signal,
    });
  } catch (error) {
    if (request.signal?.aborted) throw new ApiError(0, 'network_error', 'Aborted');
    // The browser says the same for "unreachable" and "this page's origin is not allowed" (no CORS
    // header on the answer). An opaque request that needs no CORS tells them apart: if it gets an
    // answer, the server is there and refused the origin.
    if (await reachable(fetchImpl, url)) throw new ApiError(0, 'origin_not_allowed', 'This page\'s origin is not allowed.');
    throw new ApiError(0, 'network_error', error instanceof Error ? error.message : 'Network error');
  }
  if (response.status === 204) return undefined as T;
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    parsed = undefined;
  }
  if (response.ok) {
    if (parsed === undefined) throw new ApiError(response.status, 'bad_response', 'The server sent an unreadable answer.');
    return parsed as T;
  }
  const error = (parsed as Partial<ErrorBody> | undefined)?.error;
  const retryAfterHeader = Number(response.headers.get('Retry-After'));
  throw new ApiError(
    response.status,
    error?.code ?? (response.status >= 500 ? 'service_unavailable' : 'bad_response'),
    error?.message ?? `HTTP ${response.status}`,
    error?.details,
    Number.isFinite(retryAfterHeader) && retryAfterHeader > 0 ? retryAfterHeader : undefined,
  );
}

async function reachable(fetchImpl: FetchLike, url: string): Promise<boolean> {
  try {
    await fetchImpl(url, { method: 'GET', mode: 'no-cors', credentials: 'omit', cache: 'no-store' });
    return true;
  } catch {
    return false;
  }
}

export function isApiError(error: unknown): error is ApiError {
  return error instanceof ApiError;
}
