import type { Request } from 'express';
import { routesOf } from '@parley/platform';
import type { PublicJwk } from '@parley/tokens';
import type { AccountSettings } from './accounts/account-settings';
import type { AccountsService, RequestOrigin } from './accounts/accounts.service';
import type { EmailLinksService } from './email-links/email-links.service';
import type { NotificationsService } from './notifications/notifications.service';
import type { SecondFactorService } from './second-factor/second-factor.service';
import type { OidcProvidersService } from './oidc/oidc-providers.service';
import type { OidcService } from './oidc/oidc.service';
import type { SessionsService } from './sessions/sessions.service';
import type { SsoKeysService } from './sso/sso-keys.service';
import type { SsoService } from './sso/sso.service';
import type { UsersService } from './users/users.service';

/** What the auth service's route handlers call, built once by the composition root (app.ts). */
export interface AuthServices {
  accounts: AccountsService;
  /** The reader's own name and password (PATCH /auth/me, POST /auth/me/password). */
  accountSettings: AccountSettings;
  sessions: SessionsService;
  users: UsersService;
  /** Staff second factor: authenticator app enrolment, recovery codes, an admin's reset. */
  secondFactor: SecondFactorService;
  /** Mailed links: email confirmation, password reset, email change. */
  emailLinks: EmailLinksService;
  /** Reply notifications and the reader's mail settings. */
  notifications: NotificationsService;
  /** Sites' publisher sign-on keys (admins) and the sign-on exchange. */
  ssoKeys: SsoKeysService;
  sso: SsoService;
  /** Sites' OpenID Connect providers (admins) and the login through them. */
  oidcProviders: OidcProvidersService;
  oidc: OidcService;
  /** PUBLIC_URL's origins: the first is where the OpenID Connect redirect URI lives. */
  publicOrigins: readonly string[];
  /** The public keys access tokens are signed with. */
  keys: PublicJwk[];
  /** Where a request comes from: the scope a session it opens may carry (sessions/session-scope.ts) and the client address. */
  requestOrigin(req: Request): RequestOrigin;
}

/** Declares one route of the auth service (see `routesOf` in @parley/platform). */
export const route = routesOf<AuthServices>();

/** Session answers carry tokens: never stored by a browser or a proxy. */
export const noStore = { 'Cache-Control': 'no-store' };
