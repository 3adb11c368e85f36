import { AuthSession, LoginRequest, MeResponse, RegisterRequest } from '@parley/contracts';
import { noStore, route } from '../services';

export const accountsRoutes = [
  route({
    method: 'post',
    path: '/auth/register',
    operationId: 'register',
    summary: 'Create an account and log in',
    description: 'Registers a reader account (argon2id password hash) and starts a session: a short-lived access token and a rotating refresh token.',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'register', per: 'client' },
    body: RegisterRequest,
    headers: noStore,
    response: { status: 201, schema: AuthSession, description: 'The account was created; the session is ready to use.' },
    errors: { 409: ['email_taken'] },
    handler: ({ body, req }, { accounts, requestOrigin }) => accounts.register(body, requestOrigin(req)),
  }),
  route({
    method: 'post',
    path: '/auth/login',
    operationId: 'login',
    summary: 'Log in with email and password',
    tag: 'Auth',
    auth: 'none',
    rateLimit: { limiter: 'login', per: 'client' },
    body: LoginRequest,
    headers: noStore,
    response: { status: 200, schema: AuthSession, description: 'A new session.' },
    description:
      'A staff session needs a staff account, Parley\'s own origin (the console) or a client without `Origin` (the CLI), and `code`: the current code of the account\'s authenticator app or one of its recovery codes (spent by this login). The password alone gives a participant session, for staff accounts too; there the answer\'s `secondFactor` says `required` (send a code) or `enrol` (set one up). On any other origin (a publisher\'s page) every session is a participant one and `code` is ignored.',
    errors: { 401: ['invalid_credentials', 'invalid_second_factor'], 429: ['rate_limited'] },
    handler: ({ body, req }, { accounts, requestOrigin }) => accounts.login(body, requestOrigin(req)),
  }),
  route({
    method: 'get',
    path: '/auth/me',
    operationId: 'me',
    summary: 'The logged-in account',
    tag: 'Auth',
    auth: 'required',
    allow: 'account.read',
    headers: noStore,
    response: { status: 200, schema: MeResponse, description: 'The account the access token belongs to.' },
    handler: ({ viewer }, { accounts }) => accounts.me(viewer.id),
  }),
];
