export { buildOpenApiDocument, type BuildOptions } from './document';
export { openApiRoutes, type OpenApiRoutesOptions } from './router';
export { renderDocsPage, docsStylesheet } from './html';
export { routes, type RouteSpec } from './routes';
export type { OpenApiDocument } from './types';
