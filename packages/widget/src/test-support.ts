import type { Comment, ThreadPage } from '@parley/contracts';

/** Builders for unit tests: a comment or a thread page with only the fields a test cares about. */
let counter = 0;
export function aComment(fields: Partial<Comment> = {}): Comment {
  counter += 1;
  const id = fields.id ?? `00000000-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id,
    parentId: null,
    rootId: null,
    depth: 0,
    author: { id: 'user-a', name: 'Anna' },
    body: `comment ${counter}`,
    html: `<p>comment ${counter}</p>`,
    status: 'published',
    replyCount: 0,
    reactionCount: 0,
    createdAt: new Date(Date.UTC(2026, 10, 1, 12, 0, counter)).toISOString(),
    editedAt: null,
    ...fields,
  };
}

export function aReply(parent: Comment, fields: Partial<Comment> = {}): Comment {
  return aComment({ parentId: parent.id, rootId: parent.rootId ?? parent.id, depth: parent.depth + 1, ...fields });
}

export function aPage(comments: Comment[], fields: Partial<ThreadPage['article']> = {}, nextCursor: string | null = null): ThreadPage {
  return {
    article: { site: 'demo', key: 'a1', title: null, url: null, state: 'open', commentCount: comments.length, seq: 0, ...fields },
    comments,
    nextCursor,
  };
}
