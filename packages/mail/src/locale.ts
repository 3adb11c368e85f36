/** The languages Parley writes mail and link pages in; the widget has the same two. */
export const mailLocales = ['en', 'ru'] as const;
export type MailLocale = (typeof mailLocales)[number];

/**
 * The best of our languages for a stored preference ("ru") or an Accept-Language header
 * ("ru-RU,ru;q=0.9,en;q=0.8"); English when nothing matches.
 */
export function pickLocale(...candidates: (string | null | undefined)[]): MailLocale {
  for (const candidate of candidates) {
    if (!candidate) continue;
    const ranked = candidate
      .split(',')
      .map((part, index) => {
        const [tag = '', ...params] = part.trim().split(';');
        const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
        return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q ? Number(q.slice(2)) || 0 : 1, index };
      })
      .filter((entry) => entry.q > 0)
      .sort((a, b) => b.q - a.q || a.index - b.index);
    const found = ranked.find((entry) => (mailLocales as readonly string[]).includes(entry.lang));
    if (found) return found.lang as MailLocale;
  }
  return 'en';
}
