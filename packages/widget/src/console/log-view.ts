import type { ModerationAction, ModerationLogPage } from '@parley/contracts';
import { h, replaceChildren, type Child } from '../widget/dom';
import { api, errorText, state } from './context';

/**
 * The moderation log in words, newest first: "Ann removed a comment by Bob on ‘Council backs…’:
 * spam", with the article linked, the site and the time; pages on by its cursor.
 */
export async function renderLog(panel: HTMLElement, superseded: () => boolean): Promise<void> {
  const first = await api.log(state.site || undefined);
  if (superseded()) return;
  if (first.entries.length === 0) return replaceChildren(panel, h('p', { class: 'empty' }, 'No moderation actions yet.'));
  const list = h('ol', { class: 'log', 'aria-label': 'Moderation log' });
  const more = h('div', {});
  const add = (page: ModerationLogPage) => {
    list.append(...page.entries.map(entryItem));
    replaceChildren(more, page.nextCursor ? h('button', { type: 'button', class: 'more', onclick: () => void next(page.nextCursor!) }, 'Show older') : null);
  };
  async function next(cursor: string) {
    try {
      add(await api.log(state.site || undefined, cursor));
    } catch (error) {
      replaceChildren(more, h('p', { class: 'error', role: 'alert' }, errorText(error)));
    }
  }
  add(first);
  replaceChildren(panel, list, more);
}

function entryItem(entry: ModerationAction): HTMLElement {
  return h(
    'li',
    {},
    h('time', { datetime: entry.createdAt, title: entry.createdAt }, new Date(entry.createdAt).toLocaleString()),
    h('span', { class: 'what' }, ...logSentence(entry)),
    entry.site ? h('span', { class: 'help' }, entry.site) : null,
  );
}

const person = (entry: ModerationAction) => h('strong', {}, entry.subject.userName ?? 'someone');

function articleName(entry: ModerationAction): Child[] {
  const article = entry.subject.article;
  if (!article) return typeof entry.details.article === 'string' ? [' on ', `“${entry.details.article}”`] : [];
  const label = `“${article.title ?? article.key}”`;
  return [' on ', article.url ? h('a', { href: article.url, target: '_blank', rel: 'noopener' }, label) : label];
}

const undoneVerb: Record<string, string> = {
  'comment.remove': 'removal',
  'comment.reject': 'rejection',
  'comment.approve': 'approval',
  'reports.dismiss': 'dismissal of the reports',
};

/** One entry as a sentence, built from text nodes (names and reasons are never HTML). */
export function logSentence(entry: ModerationAction): Child[] {
  const who = h('strong', {}, entry.moderator.name);
  const reason: Child[] = entry.reason ? [': ', h('q', {}, entry.reason)] : [];
  const details = entry.details;
  const comment = (verb: string): Child[] => [who, ` ${verb} a comment by `, person(entry), ...articleName(entry), ...reason];
  switch (entry.action) {
    case 'comment.remove':
      return comment('removed');
    case 'comment.restore':
      return comment('restored');
    case 'comment.approve':
      return comment('approved');
    case 'comment.reject':
      return comment('rejected');
    case 'reports.dismiss':
      return comment('dismissed the reports on');
    case 'comment.undo':
      return comment(`undid the ${undoneVerb[String(details.undid)] ?? 'decision'} of`);
    case 'user.ban': {
      const until = typeof details.until === 'string' ? ` until ${new Date(details.until).toLocaleString()}` : ' permanently';
      return [who, ' banned ', person(entry), until, ...reason];
    }
    case 'user.note':
      return [who, ' noted about ', person(entry), ...reason];
    case 'user.unban':
      return [who, ' lifted the ban of ', person(entry)];
    case 'user.remove_all':
      return [who, ` removed all ${typeof details.removed === 'number' ? `${details.removed} ` : ''}comments by `, person(entry), ...reason];
    case 'article.update': {
      const before = (details.before ?? {}) as Record<string, unknown>;
      const after = (details.after ?? {}) as Record<string, unknown>;
      const changes: string[] = [];
      if (before.state !== after.state) changes.push(after.state === 'closed' ? 'closed' : 'reopened');
      if (before.premoderation !== after.premoderation) changes.push(after.premoderation === true ? 'pre-moderated' : after.premoderation === false ? 'set to publish directly' : 'set to follow the site on pre-moderation');
      if (before.title !== after.title || before.url !== after.url) changes.push('corrected the title or address of');
      const article = entry.subject.article;
      const label = `“${article?.title ?? entry.targetId}”`;
      return [who, ` ${changes.length ? changes.join(', ') : 'saved'} `, article?.url ? h('a', { href: article.url, target: '_blank', rel: 'noopener' }, label) : label];
    }
    case 'word_lists.update':
      return [who, ` changed the word lists of ${entry.targetId}`];
    case 'site.create':
      return [who, ` created the site ${entry.targetId}`];
    case 'site.update':
      return [who, ` changed the settings of ${entry.targetId}`];
    default:
      return [who, ` ${String(entry.action)} ${entry.targetType} ${entry.targetId}`, ...reason];
  }
}
