import { countForms as enCount } from './locales/en';
import { countForms as ruCount } from './locales/ru';

/**
 * The few i18n pieces the loader (embed.js) also needs. Kept free of the full catalogs so the
 * loader stays within its 3 KB budget.
 */

export const languages = ['en', 'ru'] as const;
export type Lang = (typeof languages)[number];

export type PluralForms = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

/** The `lang` attribute wins, then the page's `<html lang>`, then English. "ru-RU" counts as "ru". */
export function pickLang(...candidates: (string | null | undefined)[]): Lang {
  for (const candidate of candidates) {
    const base = (candidate ?? '').trim().toLowerCase().split(/[-_]/)[0];
    if (base) return (languages as readonly string[]).includes(base) ? (base as Lang) : 'en';
  }
  return 'en';
}

export function fill(template: string, params: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

const rules = new Map<Lang, Intl.PluralRules>();

/** Picks the CLDR plural form ("1 комментарий", "2 комментария", "5 комментариев") and fills {n}. */
export function pluralize(forms: PluralForms, lang: Lang, n: number): string {
  let rule = rules.get(lang);
  if (!rule) rules.set(lang, (rule = new Intl.PluralRules(lang)));
  return fill(forms[rule.select(n)] ?? forms.other, { n });
}

export function countLabel(lang: Lang, n: number): string {
  return pluralize(lang === 'ru' ? ruCount : enCount, lang, n);
}
