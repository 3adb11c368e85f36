import type { FieldIssue } from '@parley/contracts';
import { ApiError } from '../http';
import type { I18n, MessageKey } from '../i18n';

/**
 * A reader-facing sentence for a failed call, always from the widget's own catalog: the server's
 * `message` is English and written for developers, so it never reaches the page (issue 13).
 */
export function errorMessage(i18n: I18n, error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.error('internal_error');
  if (error.code === 'rate_limited' && error.retryAfter) return i18n.t('errRateLimited', { n: error.retryAfter });
  if (error.code === 'validation_failed') {
    const issues = error.fieldIssues;
    if (issues.length) return issues.map((issue) => `${fieldName(i18n, issue.field)}: ${fieldProblem(i18n, issue)}`).join('; ');
  }
  return i18n.error(error.code);
}

const fieldKeys: Record<string, MessageKey> = { email: 'email', password: 'password', newPassword: 'password', displayName: 'displayName', body: 'composeLabel' };

/** The field's label in the widget's language (the name the API uses when we have none). */
export function fieldName(i18n: I18n, field: string): string {
  const key = fieldKeys[field];
  return key ? i18n.t(key) : field;
}

/**
 * What is wrong with one field, in the widget's language. The API's sentences come from the zod
 * schemas in contracts ("must be at least 10 characters"); their few shapes are matched here.
 */
export function fieldProblem(i18n: I18n, issue: FieldIssue): string {
  const m = issue.message;
  const least = /at least (\d+)/.exec(m);
  if (least) return i18n.t('fieldMin', { n: least[1]! });
  const most = /at most (\d+)/.exec(m);
  if (most) return i18n.t('fieldMax', { n: most[1]! });
  if (/email/i.test(m)) return i18n.t('fieldEmail');
  if (/required|empty/.test(m)) return i18n.t('fieldRequired');
  if (/visible/.test(m)) return i18n.t('fieldInvisible');
  return i18n.t('fieldInvalid');
}
