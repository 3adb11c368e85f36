import { h } from '../widget/dom';
import { announce, api, errorText, refresh } from './context';

/** How long "Removed · Undo" stays; the server takes an undo back as long (undoWindowMs). */
export const undoForMs = 10_000;

let hideTimer: ReturnType<typeof setTimeout> | undefined;

/**
 * "Removed the comment by Bob · Undo" for 10 s after a decision, outside the panel so no redraw
 * wipes it. Undo asks the server to take the decision back (each comment of a bulk action).
 */
export function offerUndo(done: string, ids: string[]): void {
  const bar = document.getElementById('undo');
  if (!bar || ids.length === 0) return;
  clearTimeout(hideTimer);
  const button = h('button', { type: 'button' }, 'Undo');
  button.addEventListener('click', async () => {
    button.disabled = true;
    clearTimeout(hideTimer);
    const failed: string[] = [];
    for (const id of ids) {
      try {
        await api.undo(id);
      } catch (error) {
        failed.push(errorText(error));
      }
    }
    const text = failed.length === 0 ? 'Undone.' : `Could not undo ${failed.length === ids.length ? 'it' : `${failed.length} of them`}: ${failed[0]}`;
    bar.replaceChildren(h('span', { role: failed.length ? 'alert' : null }, text));
    announce(text);
    hideTimer = setTimeout(() => bar.replaceChildren(), 4000);
    await refresh();
  });
  bar.replaceChildren(h('span', {}, `${done} · `), button);
  hideTimer = setTimeout(() => bar.replaceChildren(), undoForMs);
}
