import type { AdminSite } from '@parley/contracts';
import { h, replaceChildren } from '../widget/dom';
import { isListTab, onSitesChanged, refresh, state } from './context';

/**
 * The queue's site filter: every site the viewer moderates, or one of them. A site named in the
 * page's ?site= that is not among them stays selectable, so the server's refusal is what shows.
 */
export function siteFilter(): HTMLSelectElement {
  const select = h('select', { id: 'site' });
  function fill(sites: AdminSite[]): void {
    const options: [string, string][] = [['', 'All my sites'], ...sites.map((site): [string, string] => [site.id, `${site.name} (${site.id})`])];
    if (state.site && !sites.some((site) => site.id === state.site)) options.push([state.site, state.site]);
    replaceChildren(select, ...options.map(([value, label]) => h('option', { value }, label)));
    select.value = state.site;
  }
  fill(state.sites);
  onSitesChanged(fill);
  select.addEventListener('change', () => {
    state.site = select.value;
    const url = new URL(location.href);
    if (state.site) url.searchParams.set('site', state.site);
    else url.searchParams.delete('site');
    history.replaceState(null, '', url);
    document.dispatchEvent(new Event('parley:site-changed'));
    // Only the queues and the log are filtered; a form on another tab is not redrawn under the admin.
    if (isListTab(state.tab) || state.tab === 'log') void refresh();
  });
  return select;
}
