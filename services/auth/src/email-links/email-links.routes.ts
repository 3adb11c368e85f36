import { EmailChangeRequest, ForgotPasswordRequest, LinkPageQuery, MailQueuedResponse, ResetPasswordForm, ResetPasswordRequest } from '@parley/contracts';
import { pickLocale } from '@parley/mail';
import { Password } from '@parley/contracts';
import type { Request, Response } from 'express';
import { isCommonPassword } from '../accounts/common-passwords';
import { noStore, route } from '../services';
import { linkErrors, type LinkResult } from './email-links.service';
import { linkOutcomePage, pageSecurityPolicy, resetFormPage } from './pages';

const queued = { status: 'queued' as const };
const html = { status: 200, contentType: 'text/html', description: 'A page in the reader’s language that says what happened (also for invalid, expired and used links).' };

/** The link pages answer HTML, never cached, never framed, with no script. */
function sendPage(res: Response, body: string): void {
  res.set({ ...noStore, 'Content-Security-Policy': pageSecurityPolicy, 'Referrer-Policy': 'no-referrer' }).type('html').send(body);
}

const browserLocale = (req: Request, result?: LinkResult) => result?.locale ?? pickLocale(req.get('accept-language'));

export const emailLinksRoutes = [
  route({
    method: 'post',
    path: '/auth/email/verification',
    operationId: 'resendVerification',
    summary: 'Mail the email confirmation link again',
    description: 'Answers the same for an account whose address is already confirmed (or a publisher’s reader, who has no login email), and mails nothing then.',
    tag: 'Auth',
    auth: 'required',
    allow: 'account.read',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    headers: noStore,
    response: { status: 202, schema: MailQueuedResponse, description: 'A new link is on its way to the account’s email, unless it is confirmed already.' },
    errors: { 429: ['rate_limited'] },
    handler: async ({ viewer }, { emailLinks }) => {
      await emailLinks.resendVerification(viewer.id);
      return queued;
    },
  }),
  route({
    method: 'post',
    path: '/auth/password/forgot',
    operationId: 'forgotPassword',
    summary: 'Mail a password reset link',
    description: 'Answers the same whether or not an account has this email (and for a publisher’s reader, who has no password). The link works once, for 30 minutes.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    body: ForgotPasswordRequest,
    headers: noStore,
    response: { status: 202, schema: MailQueuedResponse, description: 'If an account has this email, a link is on its way.' },
    errors: { 429: ['rate_limited'] },
    handler: async ({ body }, { emailLinks }) => {
      await emailLinks.requestPasswordReset(body.email);
      return queued;
    },
  }),
  route({
    method: 'post',
    path: '/auth/password/reset',
    operationId: 'resetPassword',
    summary: 'Set a new password with a reset link’s token',
    description: 'Spends the link and ends every session of the account; log in again with the new password.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    body: ResetPasswordRequest,
    headers: noStore,
    response: { status: 204, description: 'The password is changed.' },
    errors: { 400: ['invalid_link', 'link_expired', 'link_used'], 429: ['rate_limited'] },
    handler: async ({ body }, { emailLinks }) => {
      const result = await emailLinks.resetPassword(body.token, body.password);
      if (result.outcome === 'expired') throw linkErrors.expired();
      if (result.outcome === 'used') throw linkErrors.used();
      if (result.outcome !== 'ok') throw linkErrors.invalid();
    },
  }),
  route({
    method: 'post',
    path: '/auth/email/change',
    operationId: 'changeEmail',
    summary: 'Change the login email (confirmed at the new address)',
    description: 'Needs the current password. The new address gets a link; the account keeps the old one until the link is followed. Not for a publisher’s reader.',
    tag: 'Auth',
    auth: 'required',
    allow: 'account.read',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    body: EmailChangeRequest,
    headers: noStore,
    response: { status: 202, schema: MailQueuedResponse, description: 'A confirmation link is on its way to the new address.' },
    errors: { 401: ['invalid_credentials'], 403: ['forbidden'], 409: ['email_taken'], 429: ['rate_limited'] },
    handler: async ({ viewer, body }, { emailLinks }) => {
      await emailLinks.requestEmailChange(viewer.id, body.email, body.password);
      return queued;
    },
  }),
  route({
    method: 'get',
    path: '/auth/pages/verify-email',
    operationId: 'verifyEmailPage',
    summary: 'The email confirmation link',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    query: LinkPageQuery,
    response: html,
    handler: async ({ query, req, res }, { emailLinks }) => {
      const result = await emailLinks.verifyEmail(query.token);
      sendPage(res, linkOutcomePage('verify', result.outcome, browserLocale(req, result)));
    },
  }),
  route({
    method: 'get',
    path: '/auth/pages/reset-password',
    operationId: 'resetPasswordPage',
    summary: 'The password reset link: a form for the new password',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    query: LinkPageQuery,
    response: html,
    handler: async ({ query, req, res }, { emailLinks }) => {
      const result = await emailLinks.checkPasswordReset(query.token);
      const locale = browserLocale(req, result);
      sendPage(res, result.outcome === 'ok' ? resetFormPage(query.token, locale) : linkOutcomePage('reset', result.outcome, locale));
    },
  }),
  route({
    method: 'post',
    path: '/auth/pages/reset-password',
    operationId: 'resetPasswordForm',
    summary: 'The reset form’s post (form-encoded)',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    body: ResetPasswordForm,
    response: html,
    handler: async ({ body, req, res }, { emailLinks }) => {
      const check = await emailLinks.checkPasswordReset(body.token);
      const locale = browserLocale(req, check);
      if (check.outcome !== 'ok') return sendPage(res, linkOutcomePage('reset', check.outcome, locale));
      if (!Password.safeParse(body.password).success) return sendPage(res, resetFormPage(body.token, locale, 'tooShort'));
      if (isCommonPassword(body.password)) return sendPage(res, resetFormPage(body.token, locale, 'tooCommon'));
      const result = await emailLinks.resetPassword(body.token, body.password);
      sendPage(res, linkOutcomePage('reset', result.outcome, browserLocale(req, result)));
    },
  }),
  route({
    method: 'get',
    path: '/auth/pages/confirm-email',
    operationId: 'confirmEmailPage',
    summary: 'The new address’s confirmation link',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    query: LinkPageQuery,
    response: html,
    handler: async ({ query, req, res }, { emailLinks }) => {
      const result = await emailLinks.confirmEmailChange(query.token);
      sendPage(res, linkOutcomePage('change', result.outcome, browserLocale(req, result)));
    },
  }),
];
