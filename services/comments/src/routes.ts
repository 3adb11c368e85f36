import type { RouteDefinition } from '@parley/platform';
import { accountRoutes } from './account/account.routes';
import { articlesRoutes } from './articles/articles.routes';
import { commentsRoutes } from './comments/comments.routes';
import { importsRoutes } from './imports/imports.routes';
import { followsRoutes } from './follows/follows.routes';
import { moderationRoutes } from './moderation/moderation.routes';
import { reactionsRoutes } from './reactions/reactions.routes';
import { reportsRoutes } from './reports/reports.routes';
import type { CommentsServices } from './services';
import { sitesAdminRoutes } from './sites/sites-admin.routes';
import { threadsRoutes } from './threads/threads.routes';

/** Every public route of the comments service: mounted by app.ts, described in /openapi.json. */
export const routes: readonly RouteDefinition<CommentsServices>[] = [
  ...threadsRoutes,
  ...articlesRoutes,
  ...commentsRoutes,
  ...reactionsRoutes,
  ...followsRoutes,
  ...reportsRoutes,
  ...moderationRoutes,
  ...sitesAdminRoutes,
  ...importsRoutes,
  ...accountRoutes,
];
