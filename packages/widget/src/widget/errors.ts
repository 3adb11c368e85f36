import { ApiError } from '../http';
import type { I18n } from '../i18n';

/** A reader-facing sentence for a failed call, in the widget's language where we have one. */
export function errorMessage(i18n: I18n, error: unknown): string {
  if (!(error instanceof ApiError)) return i18n.t('errGeneric');
  switch (error.code) {
    case 'network_error':
      return i18n.t('errNetwork');
    case 'rate_limited':
      return error.retryAfter ? i18n.t('errRateLimited', { n: error.retryAfter }) : i18n.t('errRateLimitedShort');
    case 'banned':
      return i18n.t('errBanned');
    case 'article_closed':
      return i18n.t('errClosed');
    case 'edit_window_expired':
      return i18n.t('errEditWindow');
    case 'already_reported':
      return i18n.t('alreadyReported');
    case 'unauthenticated':
    case 'invalid_token':
    case 'token_expired':
      return i18n.t('errSession');
    case 'validation_failed': {
      const issues = error.fieldIssues;
      return issues.length ? issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ') : error.message;
    }
    case 'internal_error':
    case 'bad_gateway':
    case 'gateway_timeout':
    case 'service_unavailable':
    case 'bad_response':
      return i18n.t('errGeneric');
    default:
      // The API's own sentence (invalid_credentials, email_taken, …) is written for readers.
      return error.message || i18n.t('errGeneric');
  }
}
