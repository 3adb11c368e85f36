import { articleKeyFor, articleUrl, parseSourceDate, sourceAuthor, tooLong, type Place, type Sink } from './source';
import { readXml, type XmlShape } from './xml';

/**
 * A WordPress export (WXR: `<rss><channel><item>` per post or page, its `<wp:comment>`s inside).
 * The article key is the post's id (`wp:post_id`), else its link. Comments come inside their
 * item, so an article is complete when its item closes.
 */

interface Item {
  place: Place;
  fields: Record<string, string>;
  comments: Comment[];
  broken?: string;
}
interface Comment {
  place: Place;
  fields: Record<string, string>;
  broken?: string;
}

export async function parseWordpress(chunks: AsyncIterable<string>, sink: Sink, limits: Pick<XmlShape, 'maxConstructChars'> = {}): Promise<void> {
  const path: string[] = [];
  let item: Item | undefined;
  let comment: Comment | undefined;
  let sawRoot = false;

  await readXml(
    chunks,
    {
      open(name, _attributes, place) {
        path.push(name);
        if (path.length === 1) {
          sawRoot = true;
          if (name !== 'rss') sink.problem(place, `the file's root is <${name}>, not <rss>: is this a WordPress (WXR) export?`);
        }
        if (name === 'item' && path.length === 3) item = { place, fields: {}, comments: [] };
        else if (item && name === 'wp:comment' && path.length === 4) comment = { place, fields: {} };
      },
      close(name, text) {
        const depth = path.length;
        path.pop();
        if (comment && depth === 5) comment.fields[name] = text;
        else if (comment && depth === 4 && name === 'wp:comment') {
          item?.comments.push(comment);
          comment = undefined;
        } else if (item && depth === 4) item.fields[name] = text;
        else if (item && depth === 3 && name === 'item') {
          finishItem(item, sink);
          item = undefined;
        }
      },
      error(place, message, harmless) {
        const open = comment ?? item;
        if (harmless || !open) sink.problem(place, message);
        else if (!open.broken) open.broken = `${message} (line ${place.line}, column ${place.column})`;
      },
    },
    { recordDepth: 2, raw: new Set(['wp:comment_content', 'content:encoded']), ...limits },
  );
  if (!sawRoot) sink.problem(undefined, 'no XML element found: the file is empty or not XML');
  if (item) {
    for (const c of item.comments) sink.skip('malformed', c.place, 'inside an <item> the file ends in');
    if (comment) sink.skip('malformed', comment.place, '<wp:comment> never closed (the file ends inside it)');
  }
}

function finishItem(item: Item, sink: Sink): void {
  const f = item.fields;
  const postId = f['wp:post_id']?.trim() || null;
  const sourceId = postId ?? f.link?.trim() ?? f.guid?.trim() ?? '';
  const key = articleKeyFor(postId, f.link ?? f.guid ?? null);
  if (item.broken || !key) {
    const why = item.broken ?? 'an item with neither wp:post_id nor a link';
    for (const c of item.comments) sink.skip(item.broken ? 'malformed' : 'no_article_key', c.place, why);
    if (item.comments.length === 0 && item.broken) sink.problem(item.place, why);
    return;
  }
  if (item.comments.length === 0) return;
  const url = articleUrl(f.link ?? null);
  if (f.link?.trim() && !url) sink.problem(item.place, `item ${sourceId}: the link "${f.link.trim().slice(0, 80)}" is not an http(s) url; kept without it`);
  sink.thread({ sourceId, key, title: f.title?.trim().slice(0, 500) || null, url, closed: f['wp:comment_status']?.trim() === 'closed' });
  for (const c of item.comments) comment(c, sourceId, sink);
}

function comment(c: Comment, threadSourceId: string, sink: Sink): void {
  const f = c.fields;
  if (c.broken) return sink.skip('malformed', c.place, c.broken);
  const id = f['wp:comment_id']?.trim();
  if (!id) return sink.skip('empty_id', c.place);
  const type = f['wp:comment_type']?.trim() ?? '';
  if (type === 'pingback' || type === 'trackback') return sink.skip('pingback', c.place);
  const approved = f['wp:comment_approved']?.trim() ?? '1';
  if (approved === 'spam') return sink.skip('spam', c.place);
  if (approved !== '1' && approved !== 'trash' && approved !== 'approve') return sink.skip('unapproved', c.place);
  // The GMT date when there is one; the local date has no zone to read it in.
  const createdAt = parseSourceDate(f['wp:comment_date_gmt']) ?? parseSourceDate(f['wp:comment_date']);
  if (!createdAt) return sink.skip('bad_date', c.place, `"${(f['wp:comment_date_gmt'] ?? f['wp:comment_date'] ?? '').trim().slice(0, 40)}"`);
  const html = f['wp:comment_content'] ?? '';
  if (tooLong(html)) return sink.skip('too_long', c.place);
  const parent = f['wp:comment_parent']?.trim();
  const userId = f['wp:comment_user_id']?.trim();
  sink.post({
    sourceId: id,
    threadSourceId,
    parentSourceId: parent && parent !== '0' ? parent : null,
    createdAt,
    author: sourceAuthor({ id: userId && userId !== '0' ? `wp-user-${userId}` : null, email: f['wp:comment_author_email'], name: f['wp:comment_author'] }),
    html,
    status: approved === 'trash' ? 'deleted' : 'published',
    place: c.place,
  });
}
