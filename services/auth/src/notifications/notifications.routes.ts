import type { Request, Response } from 'express';
import { LinkPageQuery, NotificationSettingsResponse, NotificationSettingsUpdate } from '@parley/contracts';
import { pickLocale } from '@parley/mail';
import { pageSecurityPolicy, unsubscribePage } from '../email-links/pages';
import { noStore, route } from '../services';

function sendPage(res: Response, body: string): void {
  res.set({ ...noStore, 'Content-Security-Policy': pageSecurityPolicy, 'Referrer-Policy': 'no-referrer' }).type('html').send(body);
}
const browserLocale = (req: Request) => pickLocale(req.get('accept-language'));
const html = { status: 200, contentType: 'text/html', description: 'A page in the reader’s language (also for a link that is not valid).' };

export const notificationsRoutes = [
  route({
    method: 'get',
    path: '/auth/me/notifications',
    operationId: 'notificationSettings',
    summary: 'My mail settings',
    tag: 'Auth',
    auth: 'required',
    allow: 'account.read',
    headers: noStore,
    response: { status: 200, schema: NotificationSettingsResponse, description: 'What the account is mailed about.' },
    handler: async ({ viewer }, { notifications }) => ({ notifications: await notifications.settings(viewer.id) }),
  }),
  route({
    method: 'put',
    path: '/auth/me/notifications',
    operationId: 'updateNotificationSettings',
    summary: 'Change my mail settings',
    tag: 'Auth',
    auth: 'required',
    allow: 'account.read',
    body: NotificationSettingsUpdate,
    headers: noStore,
    response: { status: 200, schema: NotificationSettingsResponse, description: 'The settings now.' },
    errors: { 403: ['forbidden'] },
    handler: async ({ viewer, body }, { notifications }) => ({ notifications: await notifications.update(viewer.id, body) }),
  }),
  route({
    method: 'get',
    path: '/auth/pages/unsubscribe',
    operationId: 'unsubscribePage',
    summary: 'An unsubscribe link from a mail: asks to confirm',
    description: 'Changes nothing (mail scanners follow links); its button posts to the same address.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    query: LinkPageQuery,
    response: html,
    handler: async ({ query, req, res }, { notifications }) => {
      const valid = await notifications.checkUnsubscribe(query.token);
      sendPage(res, valid ? unsubscribePage(valid.locale, 'confirm', query.token, valid.topic) : unsubscribePage(browserLocale(req), 'invalid'));
    },
  }),
  route({
    method: 'post',
    path: '/auth/pages/unsubscribe',
    operationId: 'unsubscribe',
    summary: 'Unsubscribe (RFC 8058 one-click, or the page’s button)',
    description: 'The `List-Unsubscribe` address of a notification mail; mail clients post `List-Unsubscribe=One-Click` to it. The signed token says who and from what.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'mailLinks', per: 'client' },
    query: LinkPageQuery,
    response: html,
    handler: async ({ query, req, res }, { notifications }) => {
      const done = await notifications.unsubscribe(query.token);
      sendPage(res, done ? unsubscribePage(done.locale, 'done', '', done.topic) : unsubscribePage(browserLocale(req), 'invalid'));
    },
  }),
];
