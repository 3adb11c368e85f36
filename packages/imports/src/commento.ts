import { articleKeyFor, parseSourceDate, sourceAuthor, tooLong, type Place, type Sink } from './source';

/**
 * A Commento export (`{version, comments: [...], commenters: [...]}`, one JSON object). JSON has no
 * streaming shape to lean on here (the commenters come after the comments), so the file is read
 * whole; Commento exports one domain at a time and stays small, and the import refuses files over
 * `maxBytes` rather than run out of memory.
 */

interface CommentoComment {
  commentHex?: unknown;
  domain?: unknown;
  path?: unknown;
  commenterHex?: unknown;
  markdown?: unknown;
  html?: unknown;
  parentHex?: unknown;
  state?: unknown;
  creationDate?: unknown;
  deleted?: unknown;
}

const text = (value: unknown) => (typeof value === 'string' ? value : typeof value === 'number' ? String(value) : '');

export function parseCommento(source: string, sink: Sink): void {
  let data: { comments?: unknown; commenters?: unknown };
  try {
    data = JSON.parse(source.replace(/^\uFEFF/, '')) as typeof data;
  } catch (error) {
    return sink.skip('malformed', jsonPlace(source, error as Error), `the file is not valid JSON (${(error as Error).message}); nothing was read`);
  }
  if (!data || typeof data !== 'object' || !Array.isArray(data.comments)) return sink.problem(undefined, 'no "comments" list: is this a Commento export?');
  const commenters = new Map<string, { name: string; email: string }>();
  for (const c of Array.isArray(data.commenters) ? (data.commenters as Record<string, unknown>[]) : []) {
    if (c && typeof c === 'object') commenters.set(text(c.commenterHex), { name: text(c.name), email: text(c.email) });
  }
  const threads = new Set<string>();
  (data.comments as CommentoComment[]).forEach((c, at) => {
    // JSON.parse keeps no places: a comment is named by its index instead.
    const place = undefined;
    if (!c || typeof c !== 'object') return sink.skip('malformed', place, `comments[${at}] is not an object`);
    const id = text(c.commentHex).trim();
    if (!id) return sink.skip('empty_id', place, `comments[${at}]`);
    const path = text(c.path).trim() || '/';
    const domain = text(c.domain).trim();
    const link = domain ? `https://${domain}${path.startsWith('/') ? '' : '/'}${path}` : path;
    const threadId = `${domain}${path}`;
    if (!threads.has(threadId)) {
      const key = articleKeyFor(null, link);
      if (!key) return sink.skip('no_article_key', place, `comments[${at}]`);
      threads.add(threadId);
      sink.thread({ sourceId: threadId, key, title: null, url: /^https:\/\//.test(link) ? link : null, closed: false });
    }
    const state = text(c.state).trim() || 'approved';
    if (state === 'flagged' && !c.deleted) return sink.skip('spam', place, `comments[${at}]`);
    if (state !== 'approved' && !c.deleted) return sink.skip('unapproved', place, `comments[${at}]`);
    const createdAt = parseSourceDate(text(c.creationDate));
    if (!createdAt) return sink.skip('bad_date', place, `comments[${at}]: "${text(c.creationDate).slice(0, 40)}"`);
    const html = text(c.html) || text(c.markdown);
    if (tooLong(html)) return sink.skip('too_long', place, `comments[${at}]`);
    const commenterHex = text(c.commenterHex).trim();
    const who = commenters.get(commenterHex);
    const parent = text(c.parentHex).trim();
    sink.post({
      sourceId: id,
      threadSourceId: threadId,
      parentSourceId: parent && parent !== 'root' ? parent : null,
      createdAt,
      author: commenterHex && commenterHex !== 'anonymous' && who ? sourceAuthor({ id: commenterHex, name: who.name, email: who.email }) : sourceAuthor({ name: 'Anonymous' }),
      html,
      status: c.deleted === true ? 'deleted' : 'published',
      at: `comments[${at}]`,
    });
  });
}

/** Where JSON.parse stopped, as a line and column ("… at position 1234"). */
function jsonPlace(source: string, error: Error): Place | undefined {
  const position = Number(/position (\d+)/.exec(error.message)?.[1]);
  if (!Number.isFinite(position)) return undefined;
  const before = source.slice(0, position).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}
