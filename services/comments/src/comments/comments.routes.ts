import { CommentParams, CommentResponse, EditCommentRequest, PostCommentRequest, PreviewRequest, PreviewResponse, ThreadParams } from '@parley/contracts';
import { route } from '../services';
import { renderCommentBody } from './markdown';

export const commentsRoutes = [
  route({
    method: 'post',
    path: '/api/sites/:site/articles/:article/comments',
    operationId: 'postComment',
    summary: 'Post a comment or a reply',
    description:
      'An unknown article key on a known site creates the article on first post (with the optional `title` and `url`). On a premoderated site or article, or with a suspect word, the comment is held (`status: pending`). On a site with `requireVerifiedEmail`, an account whose email is not confirmed (and that is not a reader of the site\'s own sign-on) is refused with 403 `email_unverified`.',
    tag: 'Comments',
    auth: 'required',
    allow: 'comment.post',
    rateLimit: { limiter: 'post', per: 'viewer' },
    params: ThreadParams,
    body: PostCommentRequest,
    response: { status: 201, schema: CommentResponse, description: 'The comment as stored (published or pending).' },
    errors: { 403: ['banned', 'email_unverified'], 404: ['site_not_found'], 422: ['article_closed', 'parent_unavailable', 'banned_word'], 429: ['rate_limited'] },
    handler: async ({ viewer, params, body }, { comments }) => ({ comment: await comments.post(viewer, params, body) }),
  }),
  route({
    method: 'post',
    path: '/api/preview',
    operationId: 'previewComment',
    summary: 'See a comment body as it would be published',
    description:
      'The body is checked as a post or an edit checks it and rendered by the same function that renders published comments (Markdown subset, sanitized, links with `rel="nofollow ugc noopener"`), so the preview is exactly what would be published. Nothing is stored; no site, article or word list is consulted.',
    tag: 'Comments',
    auth: 'required',
    allow: 'comment.preview',
    rateLimit: { limiter: 'preview', per: 'viewer' },
    body: PreviewRequest,
    response: { status: 200, schema: PreviewResponse, description: 'The HTML the body would be published as.' },
    errors: { 429: ['rate_limited'] },
    headers: { 'Cache-Control': 'private, no-store' },
    handler: ({ body }) => ({ html: renderCommentBody(body.body) }),
  }),
  route({
    method: 'patch',
    path: '/api/comments/:id',
    operationId: 'editComment',
    summary: 'Edit one\'s own comment',
    description: 'The author only, within the site\'s edit window.',
    tag: 'Comments',
    auth: 'required',
    allow: 'comment.edit',
    params: CommentParams,
    body: EditCommentRequest,
    response: { status: 200, schema: CommentResponse, description: 'The edited comment.' },
    errors: { 403: ['forbidden', 'banned', 'edit_window_expired'], 404: ['comment_not_found'], 422: ['banned_word'] },
    handler: async ({ viewer, params, body }, { comments }) => ({ comment: await comments.edit(viewer, params.id, body) }),
  }),
  route({
    method: 'delete',
    path: '/api/comments/:id',
    operationId: 'deleteComment',
    summary: 'Delete one\'s own comment',
    description: 'The comment becomes a tombstone (`status: deleted`) so its replies keep their place.',
    tag: 'Comments',
    auth: 'required',
    allow: 'comment.delete',
    params: CommentParams,
    response: { status: 204, description: 'Deleted.' },
    errors: { 403: ['forbidden'], 404: ['comment_not_found'] },
    handler: async ({ viewer, params }, { comments }) => {
      await comments.remove(viewer, params.id);
    },
  }),
];
