import type { Logger } from '@parley/platform';
import { JoinRequest, LeaveRequest, type JoinAck } from '@parley/contracts';
import { findArticle } from '../articles/articles.repository';
import type { CommentsConfig } from '../config';
import type { Db } from '../database/tables';
import { listArticleEvents } from '../events/events.repository';
import { findSite } from '../sites/sites.repository';
import type { LiveSocket } from './live.identity';
import type { LiveRelay } from './live.relay';
import { articleRoom } from './rooms';

/**
 * `article:join` puts the socket in the article's room first and only then reads what it missed,
 * so no event can fall between the two; an event may arrive both in the ack and as a push, and
 * clients drop any seq they have already applied.
 */
export function handleRooms(socket: LiveSocket, deps: { db: Db; config: CommentsConfig; logger: Logger; relay: LiveRelay }): void {
  const { maxArticlesPerSocket, maxCatchUpEvents } = deps.config.live;

  socket.on('article:join', async (raw, ack) => {
    if (typeof ack !== 'function') return;
    const refuse = (code: Extract<JoinAck, { ok: false }>['error']['code'], message: string) =>
      ack({ ok: false, error: { code, message } });
    const parsed = JoinRequest.safeParse(raw);
    if (!parsed.success) return refuse('validation_failed', 'Send {site, article, sinceSeq?}.');
    const { site, article, sinceSeq } = parsed.data;
    try {
      const siteRow = await findSite(deps.db, site);
      if (!siteRow) return refuse('site_not_found', `There is no site "${site}".`);
      const origin = socket.handshake.headers.origin;
      if (origin && !siteRow.allowed_origins.includes(origin)) {
        return refuse('origin_not_allowed', `The site "${site}" does not allow ${origin}.`);
      }
      const room = articleRoom(site, article);
      const watching = [...socket.rooms].filter((name) => name.startsWith('article:')).length;
      if (!socket.rooms.has(room) && watching >= maxArticlesPerSocket) {
        return refuse('too_many_articles', `A connection can watch at most ${maxArticlesPerSocket} articles at once.`);
      }
      await socket.join(room);

      const articleRow = await findArticle(deps.db, site, article);
      const seq = articleRow?.last_seq ?? 0;
      // This node's relay follows the room from here (pushes what commits after this read).
      deps.relay.watch(site, article, seq);
      if (sinceSeq === undefined || !articleRow || sinceSeq === seq) return ack({ ok: true, seq, events: [], resync: false });
      // Ahead of the server (a restored database) or too far behind: reload instead of replaying.
      if (sinceSeq > seq || seq - sinceSeq > maxCatchUpEvents) return ack({ ok: true, seq, events: [], resync: true });
      const missed = await listArticleEvents(deps.db, articleRow.id, sinceSeq, maxCatchUpEvents);
      // The same shape the publisher pushes, so a client applies both alike.
      const events = missed.map(({ seq: eventSeq, change }) => ({ site, article, seq: eventSeq, ...change }));
      ack({ ok: true, seq: Math.max(seq, events.at(-1)?.seq ?? 0), events, resync: false });
    } catch (error) {
      deps.logger.error({ err: error }, 'article:join failed');
      ack({ ok: false, error: { code: 'service_unavailable', message: 'Could not join right now; try again.' } });
    }
  });

  socket.on('article:leave', async (raw, ack) => {
    const reply = typeof ack === 'function' ? ack : () => {};
    const parsed = LeaveRequest.safeParse(raw);
    if (!parsed.success) return reply({ ok: false, error: { code: 'validation_failed', message: 'Send {site, article}.' } });
    await socket.leave(articleRoom(parsed.data.site, parsed.data.article));
    reply({ ok: true });
  });
}
