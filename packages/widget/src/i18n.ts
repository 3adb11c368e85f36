import * as en from './locales/en';
import * as ru from './locales/ru';
import { errorSentences } from './error-sentences';
import type { ApiError } from './http';
import { fill, pluralize, type Lang } from './plural';

export { countLabel, fill, pickLang, pluralize, type Lang } from './plural';

export type MessageKey = keyof en.Messages;
export type PluralKey = keyof en.PluralMessages;

export interface I18n {
  lang: Lang;
  t(key: MessageKey, params?: Record<string, string | number>): string;
  plural(key: PluralKey, n: number): string;
  /** The widget's sentence for an error code (every code has one in every catalog). */
  error(code: ApiError['code']): string;
  /** "just now", "5 min ago", "3 h ago", "2 days ago", then a short date ("12 Nov" / "12 нояб."). */
  relativeTime(iso: string, now?: number): string;
  /** The full local date and time, for a `title` tooltip. */
  exactTime(iso: string): string;
}

const catalogs = { en, ru } as const;

export function createI18n(lang: Lang): I18n {
  const catalog = catalogs[lang];
  const plural = (key: PluralKey, n: number) => pluralize(catalog.pluralMessages[key], lang, n);
  const exact = new Intl.DateTimeFormat(lang, { dateStyle: 'long', timeStyle: 'short' });
  const sameYear = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short' });
  const otherYear = new Intl.DateTimeFormat(lang, { day: 'numeric', month: 'short', year: 'numeric' });
  return {
    lang,
    t: (key, params) => fill(catalog.messages[key], params),
    plural,
    error: (code) => catalog.messages[(errorSentences as Partial<Record<string, MessageKey>>)[code] ?? 'errGeneric'],
    relativeTime(iso, now = Date.now()) {
      const at = new Date(iso);
      const seconds = Math.max(0, Math.round((now - at.getTime()) / 1000));
      if (seconds < 60) return catalog.messages.justNow;
      const minutes = Math.floor(seconds / 60);
      if (minutes < 60) return plural('minutesAgo', minutes);
      const hours = Math.floor(minutes / 60);
      if (hours < 24) return plural('hoursAgo', hours);
      const days = Math.floor(hours / 24);
      if (days < 7) return plural('daysAgo', days);
      return (at.getFullYear() === new Date(now).getFullYear() ? sameYear : otherYear).format(at);
    },
    exactTime: (iso) => exact.format(new Date(iso)),
  };
}
