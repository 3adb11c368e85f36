import type {
  ArticleModerationRequest,
  Ban,
  BanRequest,
  BansPage,
  ModeratedArticle,
  ModerationLogPage,
  ModerationLogQuery,
  ModeratedArticlesPage,
  ModeratedArticlesQuery,
  PageQuery,
  PersonRecord,
  UserNoteRequest,
  WordListsResponse,
  WordListsUpdate,
} from '@parley/contracts';
import { assertAllowed, conflict, notFound, validationFailed } from '@parley/platform';
import type { Viewer } from '@parley/tokens';
import { recordArticleState } from '../articles/article-state';
import { assertArticleUrlOnSite } from '../articles/article-url';
import type { UserDirectory } from '../users/user-directory';
import { assertModerates, sitesInView } from './site-scope';
import { articleById, findArticle, lockOrCreateArticle, setArticleMetadata, setArticlePremoderation } from '../articles/articles.repository';
import { presentArticle } from '../comments/comments.presenter';
import type { ServiceContext } from '../context';
import type { BanRow, Db, ModerationActionRow } from '../database/tables';
import { writeWithEvents } from '../events/event-publisher';
import { findSite } from '../sites/sites.repository';
import { decodeCursor } from '../threads/cursor';
import { lastKnownNames, listActiveBans, listUserBans, liftBan, replaceBan } from './bans.repository';
import { insertModerationAction, listActionsAboutUser, listModerationActions } from './moderation-log.repository';
import { nextPageCursor, presentArticleSummary } from './queue.service';
import { findArticlesByIds, findCommentsByIds } from './queue.repository';
import { findWordLists, saveWordLists } from './word-lists.repository';
import { articleActivity, listSiteArticles } from './articles-list.repository';

export type ModerationService = ReturnType<typeof moderationService>;

/** The site, if the staff viewer moderates it: 404 for an unknown site first, then 403. */
async function requireModeratedSite(db: Db, site: string, viewer: Viewer) {
  const row = await requireSite(db, site);
  assertModerates(viewer, row.id);
  return row;
}

async function requireSite(db: Db, site: string) {
  const row = await findSite(db, site);
  if (!row) throw notFound('site_not_found', `There is no site "${site}".`);
  return row;
}

function presentBan(row: BanRow, userName: string | null): Ban {
  return {
    id: row.id,
    site: row.site_id,
    userId: row.user_id,
    userName,
    reason: row.reason,
    until: row.until ? row.until.toISOString() : null,
    createdAt: row.created_at.toISOString(),
    moderator: { id: row.moderator_id, name: row.moderator_name },
  };
}

type Subject = ModerationLogPage['entries'][number]['subject'];
const noSubject: Subject = { userId: null, userName: null, article: null };

function presentAction(row: ModerationActionRow, subject: Subject = noSubject): ModerationLogPage['entries'][number] {
  return {
    subject,
    id: row.id,
    moderator: { id: row.moderator_id, name: row.moderator_name },
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    site: row.site_id,
    reason: row.reason,
    details: row.details,
    createdAt: row.created_at.toISOString(),
  };
}

const unique = (words: string[]) => [...new Set(words)];

/** Names and articles for a page of log rows, in a fixed number of batch queries. */
async function logSubjects(db: Db, rows: ModerationActionRow[]): Promise<Map<string, Subject>> {
  const commentIds = rows.filter((row) => row.target_type === 'comment').map((row) => row.target_id);
  const comments = await findCommentsByIds(db, commentIds);
  const userIds = rows.filter((row) => row.target_type === 'user').map((row) => row.target_id);
  const articleRows = rows.filter((row) => row.target_type === 'article' && row.site_id);
  const [names, byId, byKey] = await Promise.all([
    lastKnownNames(db, userIds),
    findArticlesByIds(db, [...comments.values()].map((comment) => comment.article_id)),
    articleRows.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('articles')
          .selectAll()
          .where((eb) => eb.or(articleRows.map((row) => eb.and([eb('site_id', '=', row.site_id!), eb('key', '=', row.target_id)]))))
          .execute(),
  ]);
  const out = new Map<string, Subject>();
  for (const row of rows) {
    if (row.target_type === 'comment') {
      const comment = comments.get(row.target_id);
      const article = comment ? byId.get(comment.article_id) : undefined;
      out.set(row.id, {
        userId: comment?.author_id ?? null,
        userName: comment?.author_name ?? null,
        article: article ? presentArticleSummary(article) : null,
      });
    } else if (row.target_type === 'user') {
      out.set(row.id, { userId: row.target_id, userName: names.get(row.target_id) ?? null, article: null });
    } else if (row.target_type === 'article') {
      const article = byKey.find((a) => a.site_id === row.site_id && a.key === row.target_id);
      out.set(row.id, { ...noSubject, article: article ? presentArticleSummary(article) : null });
    }
  }
  return out;
}

/** Bans, article controls, word lists and the moderation log. Every change writes a log row in its transaction. */
export function moderationService(deps: ServiceContext & { users: UserDirectory }) {
  const { db, clock } = deps;

  return {
    /**
     * Bans a user from one site (replacing an earlier ban). Applies from the next request; the
     * user's open sockets hear `session:banned` once it commits.
     */
    async ban(moderator: Viewer, userId: string, input: BanRequest): Promise<Ban> {
      const now = clock();
      const until = input.until === undefined ? null : new Date(input.until);
      if (until && until.getTime() <= now.getTime()) throw validationFailed([{ field: 'until', message: 'must be in the future' }]);
      // Asked before the transaction (auth is another process): the site first, then the account.
      await requireModeratedSite(db, input.site, moderator);
      const target = await deps.users.find(userId);
      if (!target) throw notFound('user_not_found', 'There is no account with that id.');
      assertAllowed(moderator, 'moderation.ban', { targetRole: target.role });
      return writeWithEvents(deps, async (trx, _record, signal) => {
        const site = await requireModeratedSite(trx, input.site, moderator);
        const row = await replaceBan(trx, { siteId: site.id, userId, reason: input.reason, until, moderator, at: now });
        await insertModerationAction(trx, {
          moderator,
          action: 'user.ban',
          target: { type: 'user', id: userId },
          siteId: site.id,
          reason: input.reason,
          details: { until: until ? until.toISOString() : null },
          at: now,
        });
        signal({ kind: 'session:banned', userId, event: { site: site.id, until: until ? until.toISOString() : null } });
        return presentBan(row, (await lastKnownNames(trx, [userId])).get(userId) ?? null);
      });
    },

    async unban(moderator: Viewer, userId: string, siteId: string): Promise<void> {
      await writeWithEvents(deps, async (trx, _record, signal) => {
        const site = await requireModeratedSite(trx, siteId, moderator);
        const now = clock();
        const lifted = await liftBan(trx, site.id, userId, now);
        if (!lifted) throw notFound('ban_not_found', 'This user is not banned from this site.');
        await insertModerationAction(trx, {
          moderator,
          action: 'user.unban',
          target: { type: 'user', id: userId },
          siteId: site.id,
          details: { banId: lifted.id },
          at: now,
        });
        signal({ kind: 'session:unbanned', userId, event: { site: site.id } });
      });
    },

    async bans(viewer: Viewer, siteId: string, query: PageQuery): Promise<BansPage> {
      const after = query.cursor === undefined ? undefined : decodeCursor('bans', query.cursor);
      const site = await requireModeratedSite(db, siteId, viewer);
      const rows = await listActiveBans(db, site.id, { now: clock(), limit: query.limit + 1, after });
      const page = rows.slice(0, query.limit);
      const names = await lastKnownNames(db, page.map((row) => row.user_id));
      return { bans: page.map((row) => presentBan(row, names.get(row.user_id) ?? null)), nextCursor: nextPageCursor('bans', rows, query.limit) };
    },

    /**
     * Opens or closes an article and sets its premoderation override, creating the article if
     * nobody has commented yet. A state change reaches live readers as `article:updated`.
     */
    async updateArticle(moderator: Viewer, siteId: string, key: string, input: ArticleModerationRequest): Promise<ModeratedArticle> {
      return writeWithEvents(deps, async (trx, record) => {
        const site = await requireModeratedSite(trx, siteId, moderator);
        if (input.create === false && !(await findArticle(trx, site.id, key))) {
          throw notFound('article_not_found', `There is no article "${key}" on ${site.id}: nobody has commented on it yet. Check the key.`);
        }
        const article = await lockOrCreateArticle(trx, { siteId: site.id, key });
        const now = clock();
        if (input.premoderation !== undefined) await setArticlePremoderation(trx, article.id, input.premoderation);
        if (input.title !== undefined || input.url !== undefined) {
          assertArticleUrlOnSite(input.url, site.allowed_origins);
          await setArticleMetadata(trx, article.id, { ...(input.title !== undefined ? { title: input.title } : {}), ...(input.url !== undefined ? { url: input.url } : {}) });
        }
        if (input.state !== undefined && input.state !== article.state) {
          await recordArticleState(trx, record, article, input.state, now);
        }
        const updated = await articleById(trx, article.id);
        await insertModerationAction(trx, {
          moderator,
          action: 'article.update',
          target: { type: 'article', id: key },
          siteId: site.id,
          details: {
            before: { state: article.state, premoderation: article.premoderation, title: article.title, url: article.url },
            after: { state: updated.state, premoderation: updated.premoderation, title: updated.title, url: updated.url },
          },
          at: now,
        });
        return { ...presentArticle(site.id, key, updated), premoderation: updated.premoderation };
      });
    },

    /** The site's articles for the console: state, counts and when something last happened. */
    async articles(viewer: Viewer, siteId: string, query: ModeratedArticlesQuery): Promise<ModeratedArticlesPage> {
      const after = query.cursor === undefined ? undefined : decodeCursor('articles', query.cursor);
      const site = await requireModeratedSite(db, siteId, viewer);
      const rows = await listSiteArticles(db, site.id, { state: query.state, q: query.q, limit: query.limit + 1, after });
      const page = rows.slice(0, query.limit);
      const activity = await articleActivity(db, page);
      return {
        articles: page.map((row) => {
          const { lastActivityAt, pendingCount, reportedCount } = activity.get(row.id)!;
          return {
            ...presentArticle(site.id, row.key, row),
            premoderation: row.premoderation,
            createdAt: row.created_at.toISOString(),
            lastActivityAt: lastActivityAt ? lastActivityAt.toISOString() : null,
            pendingCount,
            reportedCount,
          };
        }),
        nextCursor: nextPageCursor('articles', rows, query.limit),
      };
    },

    async wordLists(viewer: Viewer, siteId: string): Promise<WordListsResponse> {
      const site = await requireModeratedSite(db, siteId, viewer);
      const row = await findWordLists(db, site.id);
      return {
        wordLists: { banned: row?.banned ?? [], suspect: row?.suspect ?? [] },
        updatedAt: row ? row.updated_at.toISOString() : null,
        version: row?.version ?? 0,
      };
    },

    async replaceWordLists(admin: Viewer, siteId: string, input: WordListsUpdate): Promise<WordListsResponse> {
      return writeWithEvents(deps, async (trx) => {
        const site = await requireModeratedSite(trx, siteId, admin);
        const now = clock();
        const stale = () => conflict('stale_version', 'Someone saved these word lists after you loaded them. Load them again and redo your change.');
        const before = await findWordLists(trx, site.id, { forUpdate: true });
        // Version 0 is "no lists yet": the first save inserts; any other must find the row at its version.
        if (input.version !== undefined && input.version !== (before?.version ?? 0)) throw stale();
        const row = await saveWordLists(trx, {
          siteId: site.id,
          banned: unique(input.banned),
          suspect: unique(input.suspect),
          updatedBy: admin.id,
          at: now,
          expectedVersion: input.version,
        });
        if (!row) throw stale();
        const diff = (list: 'banned' | 'suspect') => ({
          added: row[list].filter((word) => !before?.[list].includes(word)),
          removed: (before?.[list] ?? []).filter((word) => !row[list].includes(word)),
        });
        await insertModerationAction(trx, {
          moderator: admin,
          action: 'word_lists.update',
          target: { type: 'site', id: site.id },
          siteId: site.id,
          details: { banned: diff('banned'), suspect: diff('suspect') },
          at: now,
        });
        return { wordLists: { banned: row.banned, suspect: row.suspect }, updatedAt: row.updated_at.toISOString(), version: row.version };
      });
    },

    /** A person's record on the sites the viewer moderates (or one of them). */
    async person(viewer: Viewer, userId: string, site: string | undefined): Promise<PersonRecord> {
      const siteIds = sitesInView(viewer, site);
      const [names, bans, notes, actions] = await Promise.all([
        lastKnownNames(db, [userId]),
        listUserBans(db, userId, siteIds, clock()),
        listActionsAboutUser(db, userId, { siteIds, limit: 50, only: 'user.note' }),
        listActionsAboutUser(db, userId, { siteIds, limit: 30 }),
      ]);
      const name = names.get(userId) ?? null;
      const others = actions.filter((row) => row.action !== 'user.note');
      const subjects = await logSubjects(db, others);
      const aboutThem = { userId, userName: name, article: null };
      return {
        userId,
        name,
        bans: bans.map((row) => presentBan(row, name)),
        notes: notes.map((row) => presentAction(row, aboutThem)),
        actions: others.map((row) => presentAction(row, subjects.get(row.id))),
      };
    },

    /** Adds a note about a person on a site; it is a log entry (`user.note`), so it is never edited away. */
    async addNote(moderator: Viewer, userId: string, input: UserNoteRequest): Promise<PersonRecord['notes'][number]> {
      const site = await requireModeratedSite(db, input.site, moderator);
      const now = clock();
      await insertModerationAction(db, { moderator, action: 'user.note', target: { type: 'user', id: userId }, siteId: site.id, reason: input.note, at: now });
      const [row] = await listActionsAboutUser(db, userId, { siteIds: [site.id], limit: 1, only: 'user.note' });
      return presentAction(row!, { userId, userName: (await lastKnownNames(db, [userId])).get(userId) ?? null, article: null });
    },

    async log(viewer: Viewer, query: ModerationLogQuery): Promise<ModerationLogPage> {
      const after = query.cursor === undefined ? undefined : decodeCursor('log', query.cursor);
      const rows = await listModerationActions(db, { siteIds: sitesInView(viewer, query.site), limit: query.limit + 1, after });
      const page = rows.slice(0, query.limit);
      const subjects = await logSubjects(db, page);
      return { entries: page.map((row) => presentAction(row, subjects.get(row.id))), nextCursor: nextPageCursor('log', rows, query.limit) };
    },
  };
}
