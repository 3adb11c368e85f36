import type http from 'node:http';
import express from 'express';
import { sql, type Kysely } from 'kysely';
import { importUploadPath } from '@parley/contracts';
import { connect, poolStats, type DatabaseSource } from '@parley/db';
import { serviceOpenApiRoutes } from '@parley/openapi';
import { RateLimiter, accessLog, sharedRedis, createMetrics, errorHandler, healthRoutes, jsonBody, mountRoutes, requestContext, routeNotFound, type Logger, type Registry } from '@parley/platform';
import { bearerAuthenticator, createRevocationFeed, withRevocations, type RevocationFeed, type TokenVerifier } from '@parley/tokens';
import { articlesService } from './articles/articles.service';
import { commentsService } from './comments/comments.service';
import { followsService } from './follows/follows.service';
import type { CommentsConfig } from './config';
import type { ServiceContext } from './context';
import { schema } from './database';
import type { CommentsDatabase } from './database/tables';
import { deferredPublisher } from './events/event-publisher';
import { accountService } from './account/account.service';
import { authMailbox, type AuthMailbox } from './notifications/auth-mailbox';
import { notificationFollower } from './notifications/notification-follower';
import { replyHints } from './notifications/reply-hints';
import { createLiveServer, type LiveServer } from './live/live.server';
import { commentActionsService } from './moderation/comment-actions.service';
import { moderationService } from './moderation/moderation.service';
import { queueService } from './moderation/queue.service';
import { bodyScreening } from './moderation/body-screening';
import { routes } from './routes';
import { authUserDirectory, type UserDirectory } from './users/user-directory';
import type { CommentsServices } from './services';
import { reactionsService } from './reactions/reactions.service';
import { reportsService } from './reports/reports.service';
import { internalSiteRoutes } from './sites/internal-site.routes';
import { internalSitesRoutes } from './sites/sites.routes';
import { sitesAdminService } from './sites/sites-admin.service';
import { sitesControlRoutes } from './sites/sites-control';
import { sitesService } from './sites/sites.service';
import { threadsService } from './threads/threads.service';
import { importedAuthorClaimRoutes, importsControlRoutes } from './imports/imports-control';
import { importsService, type ImportsService } from './imports/imports.service';
import { authConfirmedAccounts, startAccountMatcher, type AccountMatcher, type ConfirmedAccounts } from './imports/account-matcher';
import { importJobsService } from './imports/import-jobs.service';
import { createThreadPageCache } from './cache/thread-page-cache';

export interface CommentsDeps {
  config: CommentsConfig;
  database: DatabaseSource;
  logger: Logger;
  tokenVerifier: TokenVerifier;
  /** Accounts (auth owns them): by default asked of the auth service at config.authInternalUrl. */
  users?: UserDirectory;
  /** Ended sessions; by default the auth service's list, polled (config.revocations). */
  revocations?: RevocationFeed;
  /** Where reply notices and digests go; by default auth at config.authInternalUrl. */
  mailbox?: AuthMailbox;
  /** Which imported authors' emails belong to confirmed accounts; by default auth at config.authInternalUrl. */
  confirmedAccounts?: ConfirmedAccounts;
  /** How often imported authors are matched against confirmed accounts (also right after each import batch). */
  accountMatchPollMs?: number;
  clock?: () => Date;
}

export interface CommentsApp {
  app: express.Express;
  /** This service's Prometheus registry; main.ts serves it on the metrics listener, never on `app`. */
  metrics: Registry;
  /**
   * Starts the live stream (Socket.IO) on the HTTP server that serves `app`. Without it the REST
   * API works and events are still recorded; they are just not pushed.
   */
  attach(server: http.Server): Promise<void>;
  /**
   * Disconnects live sockets (which closes the attached HTTP server), then the database connection.
   * An HTTP server that was never attached is the caller's to close.
   */
  stop(): Promise<void>;
  /** Follows the event log now and resolves when what it could hand to auth is handed (tests). */
  notificationsIdle(): Promise<void>;
  /** Claims imported authors whose email an account confirmed before the import (`flush()` in tests). */
  accountMatcher: AccountMatcher;
}

/** The composition root: builds the whole service from explicit dependencies, nothing global. */
export function createCommentsApp(deps: CommentsDeps): CommentsApp {
  const connection = connect<CommentsDatabase>(deps.database);
  const db: Kysely<CommentsDatabase> = connection.withSchema(schema);
  const clock = deps.clock ?? (() => new Date());
  const publisher = deferredPublisher();
  const notifier = notificationFollower({
    db,
    mailbox: deps.mailbox ?? authMailbox(deps.config.authInternalUrl),
    logger: deps.logger,
    clock,
    ...deps.config.notifications,
  });
  // The parent's author of a reply hears of it live too ("new reply to you"): their own sockets only.
  const hints = replyHints({ db, logger: deps.logger, tell: (userId, event) => publisher.publish([], [{ kind: 'reply:received', userId, event }]) });
  // Every committed change goes to the live stream, tells reply hints, and wakes the notification
  // follower (which reads the log itself, so a change it never hears of is still noticed at its next check).
  const context: ServiceContext = {
    db,
    clock,
    config: deps.config,
    publisher: {
      publish(events, signals) {
        publisher.publish(events, signals);
        hints.notice(events);
        if (events.some((event) => event.type === 'comment:created')) notifier.wake();
      },
    },
  };
  let live: LiveServer | undefined;
  // Set by stop(): /readyz answers 503 so a gateway stops sending work here before the node goes.
  let draining = false;

  const revocations = deps.revocations ?? revocationFeedFrom(deps.config, deps.logger);
  revocations?.onRevoked((sessionIds) => live?.endSessions(sessionIds));
  revocations?.start();
  const tokenVerifier = revocations ? withRevocations(deps.tokenVerifier, revocations) : deps.tokenVerifier;

  const app = express();
  const metrics = createMetrics('comments');
  const redis = sharedRedis(deps.config.redisUrl, deps.logger);
  if (deps.config.redisUrl) metrics.gauge('redis_up', 'Whether this node reaches the shared Redis (1) or not (0)', () => (redis.up() ? 1 : 0));
  metrics.gauge('db_pool_connections', 'Database connections open', () => poolStats(connection)?.total);
  metrics.gauge('db_pool_idle', 'Database connections idle', () => poolStats(connection)?.idle);
  metrics.gauge('db_pool_waiting', 'Queries waiting for a database connection', () => poolStats(connection)?.waiting);
  metrics.gauge('live_sockets', 'Open live (Socket.IO) connections on this node', () => live?.stats().sockets ?? 0);
  metrics.gauge('live_rooms', 'Article rooms with readers on this node', () => live?.stats().rooms ?? 0);
  metrics.gauge('live_relay_listening', 'Whether the live relay hears other nodes\' commits (PostgreSQL LISTEN) (1) or reads the log every second instead (0)', () =>
    live ? (live.stats().relayListening ? 1 : 0) : 0,
  );
  const eventsPublished = metrics.counter('live_events_published_total', 'Article events handed to the live stream', ['type']);
  app.use(requestContext(deps.logger));
  app.use(accessLog({ behindGateway: true }));
  app.use(metrics.httpMetrics);
  app.set('trust proxy', deps.config.trustProxy);
  app.disable('x-powered-by');
  // No ETag hashing of every page: the widget never revalidates, and hashing 40 KB bodies costs CPU on the hot read path.
  app.set('etag', false);
  const accountMatcher = startAccountMatcher({
    db,
    accounts: deps.confirmedAccounts ?? authConfirmedAccounts(deps.config.authInternalUrl),
    clock,
    logger: deps.logger,
    pollMs: deps.accountMatchPollMs ?? 10_000,
  });
  const importedOnly = importsService(context);
  // Authors a batch brought in are matched with confirmed accounts right after it, not at the next poll.
  const imports: ImportsService = {
    ...importedOnly,
    async importBatch(raw) {
      const result = await importedOnly.importBatch(raw);
      accountMatcher.kick();
      return result;
    },
  };
  if (deps.config.controlToken) app.use('/internal', importsControlRoutes(imports, deps.config.controlToken));
  // The console's import upload is an export file, streamed by its route: never parsed as JSON here.
  const json = jsonBody();
  app.use((req, res, next) => (req.method === 'POST' && importUploadPath.test(req.originalUrl) ? next() : json(req, res, next)));

  app.use(healthRoutes('comments', {
      accepting: async () => {
        if (draining) throw new Error('shutting down');
      },
      database: async () => {
        await sql`select 1`.execute(connection);
      },
    },
    // Redis is reported, never a reason to be unready: without it HTTP works and each node still
    // pushes its own writes, so a blip must not take the node out of service (also redis_up, the log).
    deps.config.redisUrl
      ? {
          redis: async () => {
            await live?.checkRedis();
            if (!redis.up()) throw new Error('the rate-limit connection is down');
          },
        }
      : {},
  ));
  app.use('/internal', internalSitesRoutes(sitesService(context)));
  app.use('/internal', internalSiteRoutes(db));
  app.use('/internal', importedAuthorClaimRoutes(imports));
  app.use('/internal', serviceOpenApiRoutes('comments', routes));
  const services: CommentsServices = {
    threads: threadsService({ ...context, pages: createThreadPageCache({ maxBytes: deps.config.threadCache.maxBytes, metrics }) }),
    comments: commentsService({ ...context, screening: bodyScreening() }),
    account: accountService(context),
    articles: articlesService(context),
    reactions: reactionsService(context),
    follows: followsService(context),
    reports: reportsService(context),
    actions: commentActionsService(context),
    queue: queueService(context),
    moderation: moderationService({ ...context, users: deps.users ?? authUserDirectory(deps.config.authInternalUrl) }),
    sitesAdmin: sitesAdminService(context),
    importJobs: importJobsService({ ...context, imports, database: deps.database }),
  };
  if (deps.config.controlToken) app.use('/internal', sitesControlRoutes(services.sitesAdmin, deps.config.controlToken));
  const router = express.Router();
  // Flood protection per user (not moderation): the budgets the routes name in `rateLimit`.
  // Shared by every node through Redis when there is one (same keys everywhere), else per node.
  const store = { redis: redis.client };
  const limiters = {
    post: new RateLimiter('comments:post', deps.config.commentRateLimit, 'You are commenting too fast; wait a moment.', store),
    react: new RateLimiter('comments:react', deps.config.reactionRateLimit, 'You are reacting too fast; wait a moment.', store),
    report: new RateLimiter('comments:report', deps.config.reportRateLimit, 'You are reporting too often; try again later.', store),
    preview: new RateLimiter('comments:preview', deps.config.previewRateLimit, 'You are previewing too fast; wait a moment.', store),
  };
  mountRoutes(router, routes, { deps: services, authenticate: bearerAuthenticator(tokenVerifier), limiters });
  app.use(router);
  app.use(routeNotFound);
  app.use(errorHandler());

  return {
    app,
    metrics: metrics.registry,
    notificationsIdle: async () => {
      await hints.idle();
      await notifier.runNow();
    },
    accountMatcher,
    async attach(server) {
      if (live) throw new Error('The live stream is already attached.');
      live = await createLiveServer({ server, config: deps.config, logger: deps.logger, tokenVerifier, db, database: deps.database, clock });
      const pushed = live.publisher;
      publisher.target({
        publish(events, signals) {
          for (const event of events) eventsPublished.inc({ type: event.type });
          pushed.publish(events, signals);
        },
      });
    },
    async stop() {
      draining = true;
      revocations?.stop();
      // Let the gateways' health checks see the 503 and route around this node first.
      if (deps.config.shutdownDrainMs > 0) await new Promise((resolve) => setTimeout(resolve, deps.config.shutdownDrainMs));
      // Live sockets are told to go (their clients reconnect, through the gateway, to another node
      // and catch up by seq); the HTTP server then finishes in-flight requests and closes.
      await live?.close();
      // Running imports stop between batches and record why (uploading the file again finishes them).
      await services.importJobs.stop();
      publisher.target(undefined);
      await hints.idle();
      await notifier.stop();
      await accountMatcher.stop();
      await redis.close();
      await connection.destroy();
    },
  };
}


/** Follows the auth service's revoked sessions, logging only when the feed breaks or recovers. */
function revocationFeedFrom(config: CommentsConfig, logger: Logger): RevocationFeed | undefined {
  const { url, pollMs, retainSeconds } = config.revocations;
  if (!url) return undefined;
  return createRevocationFeed({
    url,
    intervalMs: pollMs,
    retainSeconds,
    onError: (error) => {
      if (error) logger.warn({ err: error.message }, 'cannot read revoked sessions from auth; ended sessions are refused once it answers again');
      else logger.info('reading revoked sessions from auth again');
    },
  });
}
