import express from 'express';
import { sql, type Kysely } from 'kysely';
import { connect, type DatabaseSource } from '@parley/db';
import { RateLimiter, accessLog, errorHandler, healthRoutes, jsonBody, requestContext, routeNotFound, type Logger } from '@parley/platform';
import type { TokenVerifier } from '@parley/tokens';
import { articlesRoutes } from './articles/articles.routes';
import { articlesService } from './articles/articles.service';
import { commentsRoutes } from './comments/comments.routes';
import { commentsService } from './comments/comments.service';
import type { CommentsConfig } from './config';
import type { ServiceContext } from './context';
import { schema } from './database';
import type { CommentsDatabase } from './database/tables';
import { internalSitesRoutes } from './sites/sites.routes';
import { sitesService } from './sites/sites.service';
import { threadsRoutes } from './threads/threads.routes';
import { threadsService } from './threads/threads.service';

export interface CommentsDeps {
  config: CommentsConfig;
  database: DatabaseSource;
  logger: Logger;
  tokenVerifier: TokenVerifier;
  clock?: () => Date;
}

export interface CommentsApp {
  app: express.Express;
  /** Closes the database connection(s) this app opened. The HTTP server is the caller's to close. */
  stop(): Promise<void>;
}

/** The composition root: builds the whole service from explicit dependencies, nothing global. */
export function createCommentsApp(deps: CommentsDeps): CommentsApp {
  const connection = connect<CommentsDatabase>(deps.database);
  const db: Kysely<CommentsDatabase> = connection.withSchema(schema);
  const context: ServiceContext = { db, clock: deps.clock ?? (() => new Date()), config: deps.config };
  const postingLimiter = new RateLimiter('comments:post', deps.config.commentRateLimit, 'You are commenting too fast; wait a moment.');

  const app = express();
  app.use(requestContext(deps.logger));
  app.use(accessLog());
  app.set('trust proxy', trustProxy(deps.config.trustProxy));
  app.disable('x-powered-by');
  app.use(jsonBody());

  app.use(healthRoutes('comments', {
      database: async () => {
        await sql`select 1`.execute(connection);
      },
    }));
  app.use('/internal', internalSitesRoutes(sitesService(context)));
  app.use('/api', threadsRoutes(threadsService(context)));
  app.use('/api', commentsRoutes(commentsService({ ...context, postingLimiter }), deps.tokenVerifier));
  app.use('/api', articlesRoutes(articlesService(context)));
  app.use(routeNotFound);
  app.use(errorHandler());

  return {
    app,
    stop: () => connection.destroy(),
  };
}

/** TRUST_PROXY is what express's "trust proxy" takes: true/false, a hop count, or address names. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
