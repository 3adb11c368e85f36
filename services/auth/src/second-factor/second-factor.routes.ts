import { ConfirmTotpRequest, TotpConfirmed, TotpEnrolment, UserIdParams } from '@parley/contracts';
import { noStore, route } from '../services';

export const secondFactorRoutes = [
  route({
    method: 'post',
    path: '/auth/second-factor/totp',
    operationId: 'startTotpEnrolment',
    summary: 'Start enrolling an authenticator app (staff)',
    description:
      'For a moderator or admin without a confirmed app, on Parley\'s own origin (the console) or from a client without `Origin`: a new TOTP secret, its `otpauth://` URI and a QR code. Works in the participant session a password-only login gives; a confirmed app can be replaced only after an admin\'s reset.',
    tag: 'Auth',
    auth: 'required',
    allow: 'account.secondFactor',
    headers: noStore,
    response: { status: 200, schema: TotpEnrolment, description: 'The secret, shown this once.' },
    errors: { 403: ['second_factor_staff_only', 'staff_session_required'], 409: ['second_factor_enrolled'] },
    handler: ({ viewer, req }, { secondFactor, requestOrigin }) => secondFactor.startTotp(viewer.id, requestOrigin(req)),
  }),
  route({
    method: 'post',
    path: '/auth/second-factor/totp/confirm',
    operationId: 'confirmTotpEnrolment',
    summary: 'Confirm the authenticator app with a code; get recovery codes and a staff session',
    description:
      'Activates the app started with `POST /auth/second-factor/totp`. Answers ten one-time recovery codes (shown this once; only their hashes are kept) and a new staff session; the participant session the request was made in ends.',
    tag: 'Auth',
    auth: 'required',
    allow: 'account.secondFactor',
    body: ConfirmTotpRequest,
    headers: noStore,
    response: { status: 200, schema: TotpConfirmed, description: 'The app is active.' },
    errors: { 401: ['invalid_second_factor'], 403: ['second_factor_staff_only', 'staff_session_required'], 409: ['second_factor_enrolled', 'second_factor_not_started'], 429: ['rate_limited'] },
    handler: ({ viewer, body, req, log }, { secondFactor, requestOrigin }) => secondFactor.confirmTotp(viewer, body.code, requestOrigin(req), log),
  }),
  route({
    method: 'delete',
    path: '/auth/users/:id/second-factor',
    operationId: 'resetSecondFactor',
    summary: 'Reset a staff member\'s second factor (admins)',
    description:
      'For a lost phone and lost recovery codes: removes the account\'s authenticator app and recovery codes and ends its sessions; its next console sign-in enrols again. Never on one\'s own account. Logged and written to the audit log.',
    tag: 'Users',
    auth: 'required',
    allow: 'users.resetSecondFactor',
    params: UserIdParams,
    response: { status: 204, description: 'The factor is gone.' },
    errors: { 403: ['forbidden'], 404: ['not_found'] },
    handler: async ({ viewer, params, log }, { secondFactor }) => {
      await secondFactor.reset(viewer.id, params.id, log);
    },
  }),
];
