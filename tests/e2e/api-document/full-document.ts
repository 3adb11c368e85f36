import { routes as authRoutes } from '@parley/auth';
import { routes as commentsRoutes } from '@parley/comments';
import { routes as gatewayRoutes } from '@parley/gateway';
import { buildOpenApiDocument, mergeOpenApiDocuments, type OpenApiDocument } from '@parley/openapi';

export const allRoutes = [...gatewayRoutes, ...authRoutes, ...commentsRoutes];

/** The document as the gateway puts it together: its own part, then each upstream's. */
export function fullDocument(serverUrl?: string): OpenApiDocument {
  return mergeOpenApiDocuments([
    buildOpenApiDocument({ routes: { gateway: gatewayRoutes }, ...(serverUrl ? { serverUrl } : {}) }),
    buildOpenApiDocument({ routes: { auth: authRoutes } }),
    buildOpenApiDocument({ routes: { comments: commentsRoutes } }),
  ]);
}
