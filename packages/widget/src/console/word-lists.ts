import { roleCan } from '@parley/contracts/policy';
import { h } from '../widget/dom';
import { api, errorText, session } from './context';

/**
 * Banned words refuse a comment; suspect words hold it for review. One entry per line; a
 * trailing * matches word beginnings (идиот* also catches идиоты). Admins edit, moderators read.
 */
export function wordListsEditor(site: () => string): HTMLElement {
  const admin = session.user ? roleCan(session.user.role, 'moderation.wordLists.write') : false;
  const banned = h('textarea', { id: 'words-banned', rows: 6, cols: 30, readonly: !admin });
  const suspect = h('textarea', { id: 'words-suspect', rows: 6, cols: 30, readonly: !admin });
  const status = h('p', { role: 'status' });
  const lines = (text: string) => text.split('\n').map((line) => line.trim()).filter(Boolean);
  const form = h(
    'form',
    { class: 'inline', 'aria-label': 'Word lists' },
    h('label', { for: banned.id }, 'Banned (refused)', banned),
    h('label', { for: suspect.id }, 'Suspect (held for review)', suspect),
    h('button', { type: 'button', onclick: () => void load() }, 'Load'),
    admin ? h('button', { type: 'submit', class: 'primary' }, 'Save word lists') : h('span', { class: 'help' }, 'Only admins can change the lists.'),
  );
  async function load() {
    try {
      const { wordLists } = await api.wordLists(site());
      banned.value = wordLists.banned.join('\n');
      suspect.value = wordLists.suspect.join('\n');
      status.textContent = `Loaded the lists of ${site()}.`;
    } catch (error) {
      status.textContent = errorText(error);
    }
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await api.setWordLists(site(), { banned: lines(banned.value), suspect: lines(suspect.value) });
      status.textContent = 'Saved. New and edited comments are checked against these lists.';
    } catch (error) {
      status.textContent = errorText(error);
    }
  });
  return h('div', {}, form, status);
}
