import { unprocessable } from '@parley/platform';
import type { Db } from '../database/tables';
import { findWordLists } from './word-lists.repository';
import { compileWordMatcher, type WordMatcher } from './word-matcher';

export interface BodyScreening {
  /**
   * Checks a comment body against the site's word lists: a banned word refuses it (422
   * `banned_word`, details `{list, word}`); a suspect word asks for it to be held for review.
   */
  screen(db: Db, siteId: string, body: string): Promise<{ hold: boolean }>;
}

/** Word lists are read per write (one primary-key lookup) and compiled only when they change. */
export function bodyScreening(): BodyScreening {
  const compiled = new Map<string, { updatedAt: number; matcher: WordMatcher }>();
  return {
    async screen(db, siteId, body) {
      const lists = await findWordLists(db, siteId);
      if (!lists) return { hold: false };
      let cached = compiled.get(siteId);
      if (!cached || cached.updatedAt !== lists.updated_at.getTime()) {
        cached = { updatedAt: lists.updated_at.getTime(), matcher: compileWordMatcher(lists) };
        compiled.set(siteId, cached);
      }
      const match = cached.matcher.find(body);
      if (match?.list === 'banned') {
        throw unprocessable('banned_word', `The comment contains a word this site does not allow: "${match.word}".`, match);
      }
      return { hold: match?.list === 'suspect' };
    },
  };
}
