import { CommentParams, ReportRequest, ReportResponse } from '@parley/contracts';
import { route } from '../services';

export const reportsRoutes = [
  route({
    method: 'post',
    path: '/api/comments/:id/reports',
    operationId: 'reportComment',
    summary: 'Report a comment to the moderators',
    description: 'Enough open reports hold a published comment for review (the site\'s `reportsToPending`).',
    tag: 'Reports',
    auth: 'required',
    allow: 'comment.report',
    rateLimit: { limiter: 'report', per: 'viewer' },
    params: CommentParams,
    body: ReportRequest,
    response: { status: 201, schema: ReportResponse, description: 'The report was filed.' },
    errors: { 403: ['forbidden', 'banned'], 404: ['comment_not_found'], 409: ['already_reported'], 429: ['rate_limited'] },
    handler: ({ viewer, params, body }, { reports }) => reports.report(viewer, params.id, body),
  }),
];
