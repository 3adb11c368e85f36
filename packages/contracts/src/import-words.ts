import type { ImportSkipReason } from './imports';

/**
 * What each reason an import skipped a comment means, in the words the CLI's summary, the import
 * log and the console's summary all use. Free of zod (a subpath of its own, `@parley/contracts/
 * import-words`), so the console can take it without the schemas.
 */
export const importSkipWords = {
  spam: 'spam',
  unapproved: 'unapproved or pending',
  pingback: 'pingbacks and trackbacks',
  duplicate_id: 'the same comment id twice (the first was kept)',
  empty_id: 'no comment id',
  bad_date: 'a date that could not be read',
  malformed: 'malformed XML or JSON',
  unknown_thread: 'no article in the file to belong to',
  no_article_key: 'an article with neither id nor link',
  // importedHtmlMaxLength (imports.ts); written out to keep this file free of the schemas.
  too_long: 'longer than 100000 characters',
} as const satisfies Record<ImportSkipReason, string>;
