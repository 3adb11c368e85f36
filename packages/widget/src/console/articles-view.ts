import type { ModeratedArticleSummary } from '@parley/contracts';
import { h, replaceChildren } from '../widget/dom';
import { api, errorText } from './context';

/**
 * The site's articles, newest first: state, comments, held and reported counts, last activity,
 * and Close (which asks first) or Reopen. Choosing one fills the article controls below.
 */
export function articlesList(site: () => string, choose: (key: string) => void): { element: HTMLElement; load(): Promise<void> } {
  const stateFilter = h(
    'select',
    { id: 'articles-state' },
    h('option', { value: '' }, 'All'),
    h('option', { value: 'open' }, 'Open'),
    h('option', { value: 'closed' }, 'Closed'),
  );
  const q = h('input', { id: 'articles-q', type: 'search', placeholder: 'key or title', autocomplete: 'off' });
  const status = h('p', { role: 'status' });
  const empty = h('p', { class: 'help' });
  const body = h('tbody', {});
  const more = h('div', {});
  const table = h(
    'table',
    { 'aria-label': 'Articles' },
    h('thead', {}, h('tr', {}, ...['Article', 'State', 'Comments', 'Held', 'Reported', 'Last activity', ''].map((label) => h('th', {}, label)))),
    body,
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  q.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => void load(), 300);
  });
  stateFilter.addEventListener('change', () => void load());

  function row(article: ModeratedArticleSummary): HTMLElement {
    const name = article.title ?? article.key;
    const toggle = h('button', { type: 'button', class: article.state === 'open' ? 'danger' : '' }, article.state === 'open' ? 'Close…' : 'Reopen');
    toggle.addEventListener('click', async () => {
      const closing = article.state === 'open';
      if (closing && !confirm(`Close the discussion of “${name}”? Readers can no longer comment.`)) return;
      toggle.disabled = true;
      try {
        const { article: changed } = await api.setArticle(article.site, article.key, { state: closing ? 'closed' : 'open', create: false });
        status.textContent = `“${name}” is ${changed.state === 'closed' ? 'closed' : 'open again'}.`;
        await load();
      } catch (error) {
        status.textContent = errorText(error);
        toggle.disabled = false;
      }
    });
    return h(
      'tr',
      {},
      h(
        'td',
        {},
        article.url ? h('a', { href: article.url, target: '_blank', rel: 'noopener' }, name) : name,
        h('br', {}),
        h('button', { type: 'button', class: 'link', onclick: () => choose(article.key), title: 'Use in the article controls' }, article.key),
      ),
      h('td', {}, article.state === 'open' ? 'Open' : 'Closed', article.premoderation === true ? ' · pre-moderated' : ''),
      h('td', {}, String(article.commentCount)),
      h('td', {}, String(article.pendingCount)),
      h('td', {}, String(article.reportedCount)),
      h('td', {}, article.lastActivityAt ? new Date(article.lastActivityAt).toLocaleString() : '—'),
      h('td', {}, toggle),
    );
  }

  async function load(cursor?: string): Promise<void> {
    const from = site();
    if (!from) return void (empty.textContent = 'Choose a site to see its articles.');
    try {
      const page = await api.articles(from, { state: (stateFilter.value || undefined) as 'open' | 'closed' | undefined, q: q.value.trim() || undefined, cursor });
      if (from !== site()) return;
      if (!cursor) body.replaceChildren();
      body.append(...page.articles.map(row));
      empty.textContent = body.children.length === 0 ? `No articles on ${from} match.` : '';
      replaceChildren(more, page.nextCursor ? h('button', { type: 'button', class: 'more', onclick: () => void load(page.nextCursor!) }, 'Show more articles') : null);
    } catch (error) {
      status.textContent = errorText(error);
    }
  }

  const element = h(
    'div',
    {},
    h('div', { class: 'filters-inline' }, h('label', { for: stateFilter.id }, 'Show', stateFilter), h('label', { for: q.id }, 'Find', q)),
    status,
    h('div', { class: 'scroll' }, table),
    empty,
    more,
  );
  return { element, load: () => load() };
}
