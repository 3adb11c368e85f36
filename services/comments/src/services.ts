import { routesOf } from '@parley/platform';
import type { AccountService } from './account/account.service';
import type { ArticlesService } from './articles/articles.service';
import type { CommentsService } from './comments/comments.service';
import type { FollowsService } from './follows/follows.service';
import type { commentActionsService } from './moderation/comment-actions.service';
import type { ImportJobsService } from './imports/import-jobs.service';
import type { ModerationService } from './moderation/moderation.service';
import type { QueueService } from './moderation/queue.service';
import type { ReactionsService } from './reactions/reactions.service';
import type { ReportsService } from './reports/reports.service';
import type { SitesAdminService } from './sites/sites-admin.service';
import type { ThreadsService } from './threads/threads.service';

/** The feature services route handlers call, built once by the composition root (app.ts). */
export interface CommentsServices {
  threads: ThreadsService;
  comments: CommentsService;
  articles: ArticlesService;
  reactions: ReactionsService;
  follows: FollowsService;
  reports: ReportsService;
  actions: ReturnType<typeof commentActionsService>;
  queue: QueueService;
  moderation: ModerationService;
  sitesAdmin: SitesAdminService;
  /** Imports uploaded from the console. */
  importJobs: ImportJobsService;
  /** The reader's own data: download, erase. */
  account: AccountService;
}

/** Declares one route of the comments service (see `routesOf` in @parley/platform). */
export const route = routesOf<CommentsServices>();
