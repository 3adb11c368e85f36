export { buildOpenApiDocument, mergeOpenApiDocuments, type BuildOptions } from './document';
export { openApiRoutes, serviceOpenApiRoutes, type OpenApiRoutesOptions } from './router';
export { renderDocsPage, docsStylesheet } from './html';
export { tags, type Tag, type Service } from './tags';
export type { OpenApiDocument } from './types';
export { collectRefs } from './schemas';
export type { OperationObject } from './types';
