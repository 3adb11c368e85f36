import { AuthSession, RefreshTokenRequest } from '@parley/contracts';
import { noStore, route } from '../services';

export const sessionsRoutes = [
  route({
    method: 'post',
    path: '/auth/refresh',
    operationId: 'refreshSession',
    summary: 'Exchange a refresh token for a new session',
    description:
      'The refresh token is spent: the answer carries a new one. Presenting a spent token again ends every session of that login (reuse detection). A staff session is refreshed only on Parley\'s own origin.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'refresh', per: 'client' },
    body: RefreshTokenRequest,
    headers: noStore,
    response: { status: 200, schema: AuthSession, description: 'A new access token and refresh token.' },
    errors: { 401: ['invalid_refresh_token', 'refresh_token_reused'], 403: ['staff_session_required'], 429: ['rate_limited'] },
    handler: ({ body, req }, { sessions, requestOrigin }) => sessions.refresh(body.refreshToken, requestOrigin(req).scope),
  }),
  route({
    method: 'post',
    path: '/auth/logout',
    operationId: 'logout',
    summary: 'End the session a refresh token belongs to',
    description: 'Revokes the refresh token\'s whole family. An unknown token answers the same way, so nothing is revealed.',
    tag: 'Auth',
    auth: 'none',
    body: RefreshTokenRequest,
    response: { status: 204, description: 'Logged out.' },
    handler: async ({ body }, { sessions }) => {
      await sessions.logout(body.refreshToken);
    },
  }),
];
