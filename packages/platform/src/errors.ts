import type { ErrorCode, FieldIssue } from '@parley/contracts';

/**
 * The one error type services throw. `code` is the stable public id, `status` the HTTP status,
 * `details` is shown to clients, `headers` are set on the response (e.g. Retry-After).
 * Anything thrown that is not an AppError becomes a generic 500 and is logged with its stack.
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const validationFailed = (issues: FieldIssue[]) =>
  new AppError(400, 'validation_failed', describeIssues(issues), issues);

export const invalidJson = () => new AppError(400, 'invalid_json', 'The request body is not valid JSON.');
export const payloadTooLarge = (limit: string) =>
  new AppError(413, 'payload_too_large', `The request body is larger than ${limit}.`);
export const unauthenticated = (message = 'Log in to do this: send an access token as "Authorization: Bearer <token>".') =>
  new AppError(401, 'unauthenticated', message);
export const invalidToken = (message = 'The access token is not valid.') => new AppError(401, 'invalid_token', message);
export const tokenExpired = () =>
  new AppError(401, 'token_expired', 'The access token has expired; refresh it and try again.');
export const sessionRevoked = () =>
  new AppError(401, 'session_revoked', 'This session has ended (logged out, or the account changed); log in again.');
export const forbidden = (message = 'You are not allowed to do this.') => new AppError(403, 'forbidden', message);
export const notFound = (code: Extract<ErrorCode, `${string}not_found`>, message: string) =>
  new AppError(404, code, message);
export const conflict = (code: ErrorCode, message: string) => new AppError(409, code, message);
export const unprocessable = (code: ErrorCode, message: string, details?: unknown) =>
  new AppError(422, code, message, details);
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests; try again later.') => {
  const seconds = Math.max(1, Math.ceil(retryAfterSeconds));
  return new AppError(429, 'rate_limited', message, { retryAfterSeconds: seconds }, { 'Retry-After': String(seconds) });
};
export const serviceUnavailable = (message: string, retryAfterSeconds = 5) =>
  new AppError(503, 'service_unavailable', message, undefined, { 'Retry-After': String(retryAfterSeconds) });

function describeIssues(issues: FieldIssue[]): string {
  if (issues.length === 0) return 'The request is not valid.';
  return issues.map((issue) => `${issue.field} ${issue.message}`).join('; ');
}
