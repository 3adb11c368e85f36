/** What the launcher, scripts and cross-service tests use of the comments service. */
export { createCommentsApp, type CommentsApp, type CommentsDeps } from './app';
export { loadCommentsConfig, commentsConfigSchema, type CommentsConfig } from './config';
export { schema, migrations } from './database';
export type { CommentsDatabase } from './database/tables';
export { seedDemoSite, demoSiteId } from './seed';
export { routes } from './routes';
export { createSite, type NewSite } from './sites/sites.repository';
export { runSitesCommand, sitesAdminOn, type SitesCommand } from './sites/sites-control';
export { findArticle, setArticleState } from './articles/articles.repository';
export { importsOn } from './imports/imports-control';
export { importsService, type ImportsService } from './imports/imports.service';
export { renderImportedBody } from './comments/markdown';
