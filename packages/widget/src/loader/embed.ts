import { countLabel, pickLang } from '../plural';

/**
 * embed.js — the only script a publisher adds. Learns the Parley base URL from its own src, fills
 * every [data-parley-count] with one counts request per site, turns <div data-parley> into
 * <parley-comments>, and loads the widget module only when the page has a discussion on it.
 * Budget: 3 KB gzip (src/build.ts); keep it free of anything but these jobs.
 */
(() => {
  const script = document.currentScript as HTMLScriptElement | null;
  const src = script?.src || document.querySelector<HTMLScriptElement>('script[src*="embed.js"]')?.src;
  if (!src) return;
  const base = new URL('.', src).href;
  const tag = 'parley-comments';
  const maxPerRequest = 100;

  const upgrade = () => {
    for (const div of document.querySelectorAll<HTMLElement>('div[data-parley]')) {
      const element = document.createElement(tag);
      for (const name of ['site', 'article', 'title', 'url', 'lang', 'theme', 'base']) {
        const value = div.dataset[name];
        if (value !== undefined) element.setAttribute(name, value);
      }
      if (div.id) element.id = div.id;
      if (div.className) element.className = div.className;
      const style = div.getAttribute('style');
      if (style) element.setAttribute('style', style);
      div.replaceWith(element);
    }
  };

  const fillCounts = () => {
    const bySite = new Map<string, HTMLElement[]>();
    for (const el of document.querySelectorAll<HTMLElement>('[data-parley-count]')) {
      const site = el.dataset.site;
      if (!site || !el.dataset.article) continue;
      bySite.set(site, [...(bySite.get(site) ?? []), el]);
    }
    for (const [site, elements] of bySite) {
      const keys = [...new Set(elements.map((el) => el.dataset.article!))];
      for (let i = 0; i < keys.length; i += maxPerRequest) {
        const batch = keys.slice(i, i + maxPerRequest);
        fetch(`${base}api/sites/${encodeURIComponent(site)}/counts?articles=${batch.map(encodeURIComponent).join(',')}`, {
          credentials: 'omit',
        })
          .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
          .then(({ counts }: { counts: Record<string, number> }) => {
            for (const el of elements) {
              const n = counts[el.dataset.article!];
              if (n === undefined) continue;
              el.textContent =
                el.dataset.parleyCount === 'number'
                  ? String(n)
                  : countLabel(pickLang(el.closest<HTMLElement>('[lang]')?.lang, document.documentElement.lang), n);
            }
          })
          .catch(() => {
            // Counts are decoration: leave the publisher's fallback text in place.
          });
      }
    }
  };

  const loadWidget = () => {
    if (!document.querySelector(tag) || customElements.get(tag)) return;
    const url = `${base}widget/widget.js`;
    if (document.querySelector(`script[src="${url}"]`)) return;
    const module = document.createElement('script');
    module.type = 'module';
    module.src = url;
    module.crossOrigin = 'anonymous';
    document.head.appendChild(module);
  };

  const run = () => {
    upgrade();
    fillCounts();
    loadWidget();
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', run, { once: true });
  else run();
})();
