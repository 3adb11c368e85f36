import type { RouteDefinition } from '@parley/platform';
import { accountsRoutes } from './accounts/accounts.routes';
import { emailLinksRoutes } from './email-links/email-links.routes';
import { notificationsRoutes } from './notifications/notifications.routes';
import { keysRoutes } from './keys/keys.routes';
import { oidcRoutes } from './oidc/oidc.routes';
import { secondFactorRoutes } from './second-factor/second-factor.routes';
import type { AuthServices } from './services';
import { sessionsRoutes } from './sessions/sessions.routes';
import { ssoRoutes } from './sso/sso.routes';
import { usersRoutes } from './users/users.routes';

/** Every public route of the auth service: mounted by app.ts, described in /openapi.json. */
export const routes: readonly RouteDefinition<AuthServices>[] = [...accountsRoutes, ...sessionsRoutes, ...secondFactorRoutes, ...emailLinksRoutes, ...notificationsRoutes, ...usersRoutes, ...keysRoutes, ...ssoRoutes, ...oidcRoutes];
