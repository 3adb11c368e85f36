import type { AdminSite } from '@parley/contracts';
import { roleCan } from '@parley/contracts/policy';
import { h, replaceChildren } from '../widget/dom';
import { api, errorText, loadSites, session, setSites, state } from './context';
import { siteForm } from './site-form';
import { siteImportPanel } from './site-import-view';
import { siteKeysPanel } from './site-keys-view';
import { siteOidcPanel } from './site-oidc-view';

/**
 * The Sites tab: the sites the viewer may see with their origins and key settings. Admins add
 * sites and change them; moderators read theirs.
 */
export async function renderSites(panel: HTMLElement, superseded: () => boolean): Promise<void> {
  await loadSites();
  if (superseded()) return;
  const manages = session.user ? roleCan(session.user.role, 'sites.manage') : false;
  const canManageKeys = session.user ? roleCan(session.user.role, 'sites.sso.manage') : false;
  const canImport = session.user ? roleCan(session.user.role, 'sites.import') : false;
  const list = h('div', { class: 'site-list' });
  const editor = h('div', { class: 'site-editor' });
  const status = h('p', { role: 'status', class: 'help' });
  const addButton = h('button', { class: 'primary', onclick: () => openEditor() }, 'Add a site');

  function drawList(): void {
    replaceChildren(
      list,
      ...(state.sites.length > 0 ? state.sites.map(siteCard) : [h('p', { class: 'empty' }, manages ? 'No sites yet: add the first one.' : 'You moderate no sites yet.')]),
    );
  }

  function siteCard(site: AdminSite): HTMLElement {
    return h(
      'article',
      { class: 'site-card', 'aria-label': site.name, 'data-site': site.id },
      h('h3', {}, site.name, ' ', h('code', {}, site.id)),
      settingsList(site),
      manages ? h('button', { onclick: () => void openEditor(site.id) }, 'Change', h('span', { class: 'sr' }, ` ${site.name}`), '…') : null,
      manages && canManageKeys ? ' ' : null,
      manages && canManageKeys ? h('button', { onclick: () => openKeys(site) }, 'Sign-on keys', h('span', { class: 'sr' }, ` of ${site.name}`), '…') : null,
      manages && canManageKeys ? ' ' : null,
      manages && canManageKeys ? h('button', { onclick: () => openProvider(site) }, 'Provider login', h('span', { class: 'sr' }, ` of ${site.name}`), '…') : null,
      canImport ? ' ' : null,
      canImport ? h('button', { onclick: () => openImport(site) }, 'Import comments', h('span', { class: 'sr' }, ` into ${site.name}`), '…') : null,
    );
  }

  function openProvider(site: AdminSite): void {
    status.textContent = '';
    replaceChildren(editor, siteOidcPanel(site, closeEditor));
    editor.scrollIntoView({ block: 'start' });
    editor.querySelector<HTMLElement>('input')?.focus();
  }

  function openImport(site: AdminSite): void {
    status.textContent = '';
    replaceChildren(editor, siteImportPanel(site, closeEditor));
    editor.scrollIntoView({ block: 'start' });
    editor.querySelector<HTMLElement>('select')?.focus();
  }

  function openKeys(site: AdminSite): void {
    status.textContent = '';
    replaceChildren(editor, siteKeysPanel(site, closeEditor));
    editor.scrollIntoView({ block: 'start' });
    editor.querySelector<HTMLElement>('select')?.focus();
  }

  function closeEditor(): void {
    replaceChildren(editor);
    addButton.focus();
  }

  /** The form for a new site, or for `id` prefilled with what is stored now. */
  async function openEditor(id?: string): Promise<void> {
    status.textContent = '';
    // The form already open for the same site keeps what is typed in it: a second click on "Add a
    // site", or "Change" right after adding (the saved site's form is open then) must not redraw it.
    const open = editor.querySelector<HTMLFormElement>('form.site-form');
    if (open && (open.dataset.site ?? '') === (id ?? '')) return void open.querySelector<HTMLElement>(id ? '#site-edit-name' : '#site-new-id')?.focus();
    let site: AdminSite | undefined;
    if (id) {
      try {
        site = (await api.site(id)).site;
      } catch (error) {
        status.textContent = errorText(error);
        return;
      }
    }
    const form = siteForm({ site, onSaved: showSaved, onCancel: closeEditor });
    replaceChildren(editor, form);
    editor.scrollIntoView({ block: 'start' });
    form.querySelector<HTMLElement>(site ? '#site-edit-name' : '#site-new-id')?.focus();
  }

  function showSaved(saved: AdminSite, created: boolean): void {
    setSites([...state.sites.filter((site) => site.id !== saved.id), saved]);
    drawList();
    // Further changes are compared with what is stored now.
    const form = siteForm({ site: saved, onSaved: showSaved, onCancel: closeEditor });
    replaceChildren(editor, form);
    form.querySelector('[role=status]')!.textContent = created
      ? `Added ${saved.name} (${saved.id}). Pages on its origins can embed it once the gateway next reads the allowed origins (every 30 s by default).`
      : `Saved ${saved.name}.`;
    // The button pressed was replaced with the form: keep the keyboard where it was.
    form.querySelector<HTMLElement>('button[type=submit]')?.focus();
  }

  drawList();
  replaceChildren(
    panel,
    h('div', { class: 'panel-head' }, h('h2', {}, manages ? 'Sites' : 'Your sites'), manages ? addButton : h('span', { class: 'help' }, 'Only admins can change sites.')),
    status,
    editor,
    list,
  );
}

const orDefault = (value: string | undefined, fallback: string) => value ?? fallback;

/** The key settings of a site, in words; unset ones say what the default does. */
function settingsList(site: AdminSite): HTMLElement {
  const s = site.settings;
  const rows: [string, string | HTMLElement][] = [
    ['Origins', site.origins.length > 0 ? h('ul', { class: 'plain' }, ...site.origins.map((origin) => h('li', {}, origin))) : 'none: no page can embed it yet'],
    ['Pre-moderation', s.premoderation ? 'on: new comments wait for a moderator' : 'off'],
    ['Newcomers', s.premoderateFirstComments === undefined ? 'post at once' : `first ${s.premoderateFirstComments} comment${s.premoderateFirstComments === 1 ? '' : 's'} wait for a moderator`],
    ['Edit window', orDefault(s.editWindowSeconds === undefined ? undefined : `${s.editWindowSeconds} s`, 'the service default')],
    ['Reports before hold', orDefault(s.reportsToPending?.toString(), 'never held')],
    ['Auto-close', orDefault(s.autoCloseAfterDays === undefined ? undefined : `after ${s.autoCloseAfterDays} days`, 'never')],
    ['Readers sign in with', s.ownAccounts === false ? 'the publisher\'s sign-on only' : 'Parley accounts'],
    ['Confirmed email to post', s.requireVerifiedEmail ? 'required' : 'not required'],
  ];
  if (s.removalReasons?.length) rows.push(['Removal reasons', s.removalReasons.join(' · ')]);
  if (s.guidelinesUrl) rows.push(['Guidelines', s.guidelinesUrl]);
  if (s.loginUrl) rows.push(['Login URL', s.loginUrl]);
  if (s.logoutUrl) rows.push(['Logout URL', s.logoutUrl]);
  return h('dl', { class: 'settings' }, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value)]));
}
