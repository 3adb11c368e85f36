import { roleCan } from '@parley/contracts/policy';
import { isApiError } from '../http';
import { h } from '../widget/dom';
import { api, errorText, session } from './context';

/**
 * Banned words refuse a comment; suspect words hold it for review. One entry per line; a
 * trailing * matches word beginnings (идиот* also catches идиоты). Admins edit, moderators read.
 * The lists load by themselves (and again when the site changes); a save is conditional on the
 * version loaded, so it never erases lists someone saved in the meantime (409: load and redo).
 */
export function wordListsEditor(site: () => string): { element: HTMLElement; load(): Promise<void> } {
  const admin = session.user ? roleCan(session.user.role, 'moderation.wordLists.write') : false;
  const banned = h('textarea', { id: 'words-banned', rows: 6, cols: 30, readonly: true });
  const suspect = h('textarea', { id: 'words-suspect', rows: 6, cols: 30, readonly: true });
  const status = h('p', { role: 'status' });
  const save = admin ? h('button', { type: 'submit', class: 'primary', disabled: true }, 'Save word lists') : null;
  const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
  /** The site and version the boxes show; nothing is saved before a load succeeded. */
  let loaded: { site: string; version: number } | null = null;
  const form = h(
    'form',
    { class: 'inline', 'aria-label': 'Word lists' },
    h('label', { for: banned.id }, 'Banned (refused)', banned),
    h('label', { for: suspect.id }, 'Suspect (held for review)', suspect),
    h('button', { type: 'button', onclick: () => void load() }, 'Reload'),
    save ?? h('span', { class: 'help' }, 'Only admins can change the lists.'),
  );
  function editable(on: boolean) {
    banned.readOnly = suspect.readOnly = !(admin && on);
    if (save) save.disabled = !on;
  }
  async function load() {
    const from = site();
    loaded = null;
    editable(false);
    if (!from) return void (status.textContent = 'Choose a site to see its word lists.');
    status.textContent = `Loading the lists of ${from}…`;
    try {
      const { wordLists, version } = await api.wordLists(from);
      if (from !== site()) return; // the site changed while this answer was on its way
      banned.value = wordLists.banned.join('\n');
      suspect.value = wordLists.suspect.join('\n');
      loaded = { site: from, version };
      editable(true);
      status.textContent = `The lists of ${from}${version === 0 ? ' (none yet)' : ''}.`;
    } catch (error) {
      banned.value = suspect.value = '';
      status.textContent = errorText(error);
    }
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!loaded || loaded.site !== site()) return void load();
    try {
      const saved = await api.setWordLists(loaded.site, { banned: lines(banned.value), suspect: lines(suspect.value), version: loaded.version });
      loaded = { site: loaded.site, version: saved.version };
      status.textContent = 'Saved. New and edited comments are checked against these lists.';
    } catch (error) {
      status.textContent =
        isApiError(error) && error.code === 'stale_version'
          ? 'Someone saved these lists after you loaded them; nothing was changed. Copy your edits, press Reload, and redo them.'
          : errorText(error);
    }
  });
  return { element: h('div', {}, form, status), load };
}
