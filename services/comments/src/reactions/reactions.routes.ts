import { CommentParams, ReactionResponse } from '@parley/contracts';
import { route } from '../services';

export const reactionsRoutes = [
  route({
    method: 'put',
    path: '/api/comments/:id/reaction',
    operationId: 'react',
    summary: 'React to a comment',
    description: 'Idempotent: reacting twice counts once.',
    tag: 'Reactions',
    auth: 'required',
    allow: 'comment.react',
    rateLimit: { limiter: 'react', per: 'viewer' },
    params: CommentParams,
    response: { status: 200, schema: ReactionResponse, description: 'The viewer\'s reaction and the new count.' },
    errors: { 403: ['banned'], 404: ['comment_not_found'], 422: ['article_closed'], 429: ['rate_limited'] },
    handler: ({ viewer, params }, { reactions }) => reactions.react(viewer, params.id),
  }),
  route({
    method: 'delete',
    path: '/api/comments/:id/reaction',
    operationId: 'unreact',
    summary: 'Take back a reaction',
    tag: 'Reactions',
    auth: 'required',
    allow: 'comment.react',
    rateLimit: { limiter: 'react', per: 'viewer' },
    params: CommentParams,
    response: { status: 200, schema: ReactionResponse, description: 'The viewer\'s reaction and the new count.' },
    errors: { 403: ['banned'], 404: ['comment_not_found'], 422: ['article_closed'], 429: ['rate_limited'] },
    handler: ({ viewer, params }, { reactions }) => reactions.unreact(viewer, params.id),
  }),
];
