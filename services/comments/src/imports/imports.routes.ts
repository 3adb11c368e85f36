import { ImportJobParams, ImportJobResponse, ImportUploadQuery, SiteParams } from '@parley/contracts';
import { route } from '../services';

/** `/api/admin/sites/:site/imports`: an admin imports another system's export from the console. */
export const importsRoutes = [
  route({
    method: 'post',
    path: '/api/admin/sites/:site/imports',
    operationId: 'startImport',
    summary: 'Import a Disqus, WordPress, Commento or Parley export into a site',
    description:
      'The request body is the export file itself (send it as `application/octet-stream`, not JSON), up to IMPORT_UPLOAD_MAX_BYTES (100 MB by default; bigger files: `pnpm parley import`). ' +
      'It is streamed to a temporary file, then imported in the background: the answer is the job, which `GET …/imports/:id` reports on until it is `done` (with the summary: articles, comments, skipped by reason, problems with their place in the file) or `failed`. ' +
      'Importing the same file again changes nothing; each article is written whole or not at all. One import per site at a time.',
    tag: 'Sites',
    auth: 'required',
    allow: 'sites.import',
    params: SiteParams,
    query: ImportUploadQuery,
    parameterDescriptions: { format: 'disqus, wordpress, commento or parley', dryRun: '`true`: read everything and count what would change, writing nothing' },
    response: { status: 202, schema: ImportJobResponse, description: 'The file arrived; the import is running.' },
    errors: { 404: ['site_not_found'], 409: ['import_running'], 413: ['payload_too_large'] },
    handler: async ({ viewer, params, query, req }, { importJobs }) => {
      const declared = req.get('content-length');
      return { import: await importJobs.upload(viewer, params.site, { source: query.format, dryRun: query.dryRun }, { body: req, declaredBytes: declared === undefined ? undefined : Number(declared) }) };
    },
  }),
  route({
    method: 'get',
    path: '/api/admin/sites/:site/imports/:id',
    operationId: 'showImport',
    summary: 'An import\'s progress, and its summary once done',
    tag: 'Sites',
    auth: 'required',
    allow: 'sites.import',
    params: ImportJobParams,
    response: { status: 200, schema: ImportJobResponse, description: 'The import.' },
    errors: { 404: ['import_not_found'] },
    handler: async ({ viewer, params }, { importJobs }) => ({ import: await importJobs.show(viewer, params.site, params.id) }),
  }),
];
