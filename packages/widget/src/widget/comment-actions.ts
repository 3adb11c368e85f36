import type { CommentHandlers, CommentView } from './comment-view';
import type { Discussion } from './discussion';
import { h, replaceChildren, uid } from './dom';
import { errorMessage } from './errors';
import { composer, reportForm, type AuthMode, type Composer } from './forms';
import type { ThreadView } from './thread-view';

const unverified = (error: unknown) => (error as { code?: string }).code === 'email_unverified';

export interface CommentActionsDeps {
  thread: ThreadView;
  /** Filled here when the server refuses an edit because its window is over. */
  editExpired: Set<string>;
  /** The top-level compose box, if there is one: a failed top-level post goes back into it. */
  compose(): Composer | null;
  openAuth(mode: AuthMode): void;
  /** The element: its `url` attribute is read when a post may create the article. */
  host: HTMLElement;
  articleTitle: string | null;
  /** The server refused a write because the reader is banned: learn the ban (and its reason) now. */
  banned(): void;
}

/**
 * User input on comments → API calls: what opens in the slot under a comment (reply, edit, the
 * delete confirmation, report, a message), likes, "Show N more replies", and optimistic posting.
 */
export class CommentActions implements CommentHandlers {
  constructor(
    private readonly d: Discussion,
    private readonly deps: CommentActionsDeps,
  ) {}

  /** Optimistic post: shown at once as "sending…", replaced by the server's comment or rolled back. */
  async post(parentId: string | null, body: string, box: Composer): Promise<void> {
    const { api, i18n, session, store } = this.d;
    const user = session.user;
    if (!user) return void this.deps.openAuth('login');
    const tempId = store.addOptimistic({ parentId, body, author: { id: user.id, name: user.displayName } });
    if (parentId) this.closeSlot(parentId, 'reply');
    else box.setValue('');
    try {
      const title = this.deps.articleTitle ?? document.title;
      const url = this.deps.host.getAttribute('url') ?? location.href.split('#')[0];
      const send = () =>
        api.post(this.d.site, this.d.articleKey, {
          body,
          ...(parentId ? { parentId } : {}),
          ...(title ? { title: title.slice(0, 300) } : {}),
          ...(url && /^https?:/.test(url) ? { url } : {}),
        });
      // The token may be older than a confirmation made in another tab: one fresh token, one more try.
      const { comment } = await send().catch(async (error: unknown) => {
        if (!unverified(error) || !(await session.refresh())) throw error;
        return send();
      });
      store.confirmOptimistic(tempId, comment);
    } catch (error) {
      store.rollbackOptimistic(tempId);
      this.noticeBan(error);
      const message = i18n.t('errPostFailed', { reason: errorMessage(i18n, error) });
      if ((error as { code?: string }).code === 'article_closed' && store.article) {
        // Closed meanwhile: no forms any more, and say why the comment did not go out.
        store.article = { ...store.article, state: 'closed' };
        this.deps.thread.onStoreChange({ kind: 'article', state: true });
        this.d.say(message);
        return;
      }
      const target = parentId ? this.openReply(parentId, body) : (this.deps.compose() ?? box);
      if (!parentId) target?.setValue(body);
      target?.showError(message);
      target?.textarea.focus();
      // "Send the link again" and what it says come with the account chunk, off the first paint.
      if (unverified(error)) void import('./account-panel').then((panel) => target?.showError(message, panel.resendButton(this.d, { h, replaceChildren, uid, errorMessage })));
    }
  }

  openReply(id: string, initial = ''): Composer | undefined {
    if (!this.requireLogin()) return undefined;
    const { i18n } = this.d;
    const box = composer(i18n, this.d.api, {
      placeholder: i18n.t('replyPlaceholder'),
      label: i18n.t('replyLabel'),
      submitLabel: i18n.t('postReply'),
      initial,
      onSubmit: (body) => this.post(id, body, box),
      onCancel: () => this.closeSlot(id, 'reply'),
    });
    const view = this.openSlot(id, 'reply', box.form);
    if (view) view.composer = box;
    box.textarea.focus();
    return box;
  }

  openEdit(id: string): void {
    const { api, i18n, store } = this.d;
    const node = store.get(id);
    if (!node) return;
    const box = composer(i18n, this.d.api, {
      placeholder: '',
      label: i18n.t('editLabel'),
      submitLabel: i18n.t('save'),
      initial: node.comment.body,
      onCancel: () => this.closeSlot(id, 'edit'),
      onSubmit: async (body) => {
        try {
          const { comment } = await api.edit(id, body);
          this.closeSlot(id);
          store.replace(comment);
          this.viewOf(id)?.main.querySelector<HTMLElement>('[data-act=edit]')?.focus();
        } catch (error) {
          box.showError(errorMessage(i18n, error));
          this.noticeBan(error);
          if ((error as { code?: string }).code === 'edit_window_expired') this.deps.editExpired.add(id);
        }
      },
    });
    this.openSlot(id, 'edit', box.form);
    this.deps.thread.renderMain(id);
    box.textarea.focus();
  }

  openDelete(id: string): void {
    const { api, i18n, store } = this.d;
    const { t } = i18n;
    const confirmButton = h('button', { type: 'button', class: 'primary' }, t('delete'));
    const panel = h(
      'div',
      { class: 'panel', role: 'group', onkeydown: ((e: KeyboardEvent) => e.key === 'Escape' && this.closeSlot(id, 'delete')) as EventListener },
      h('p', {}, t('confirmDelete')),
      h('div', { class: 'row' }, confirmButton, h('button', { type: 'button', onclick: () => this.closeSlot(id, 'delete') }, t('cancel'))),
    );
    confirmButton.addEventListener('click', () => {
      confirmButton.disabled = true;
      api
        .remove(id)
        .then(() => {
          const node = store.get(id);
          this.closeSlot(id);
          if (node) store.replace({ ...node.comment, status: 'deleted', author: null, body: '', html: '' });
          this.viewOf(id)?.el.focus();
        })
        .catch((error: unknown) => this.flash(id, `${t('deleteFailed')} ${errorMessage(i18n, error)}`));
    });
    this.openSlot(id, 'delete', panel);
    confirmButton.focus();
  }

  openReport(id: string): void {
    const { api, i18n } = this.d;
    const form = reportForm(i18n, {
      cancel: () => this.closeSlot(id, 'report'),
      submit: async (reason, note) => {
        try {
          await api.report(id, reason, note || undefined);
          this.openSlot(id, 'message', h('p', { class: 'ok', role: 'status' }, i18n.t('reported')));
        } catch (error) {
          if ((error as { code?: string }).code === 'already_reported') {
            this.openSlot(id, 'message', h('p', { class: 'ok', role: 'status' }, i18n.t('alreadyReported')));
            return;
          }
          throw error;
        }
        this.viewOf(id)?.main.querySelector<HTMLElement>('[data-act=report]')?.focus();
      },
    });
    this.openSlot(id, 'report', form);
    form.querySelector('select')?.focus();
  }

  async loadReplies(id: string, button: HTMLButtonElement): Promise<void> {
    const { api, i18n, store } = this.d;
    button.disabled = true;
    try {
      const cursor = store.get(id)?.repliesCursor;
      store.appendReplies(id, await api.replies(id, cursor ?? undefined));
    } catch (error) {
      this.flash(id, errorMessage(i18n, error));
    } finally {
      button.disabled = false;
    }
  }

  toggleReaction(id: string): void {
    if (!this.requireLogin()) return;
    const { api, i18n, store } = this.d;
    const node = store.get(id);
    if (!node) return;
    const before = { reacted: !!node.comment.reacted, reactionCount: node.comment.reactionCount };
    const on = !before.reacted;
    store.patch(id, { reacted: on, reactionCount: Math.max(0, before.reactionCount + (on ? 1 : -1)) });
    api
      .react(id, on)
      .then((result) => store.patch(id, { reacted: result.reacted, reactionCount: result.reactionCount }))
      .catch((error: unknown) => {
        store.patch(id, before);
        this.noticeBan(error);
        this.flash(id, `${i18n.t('reactionFailed')} ${errorMessage(i18n, error)}`);
      });
  }

  private noticeBan(error: unknown): void {
    if ((error as { code?: string }).code === 'banned') this.deps.banned();
  }

  /** Not logged in: any write starts at the login form. */
  private requireLogin(): boolean {
    if (this.d.session.user) return true;
    this.deps.openAuth('login');
    return false;
  }

  private viewOf(id: string): CommentView | undefined {
    return this.deps.thread.views.get(id);
  }

  private closeSlot(id: string, focusAct?: string): void {
    const view = this.viewOf(id);
    if (!view) return;
    const wasEditing = view.open === 'edit';
    view.open = undefined;
    view.composer = undefined;
    replaceChildren(view.slot);
    if (wasEditing) this.deps.thread.renderMain(id);
    if (focusAct) view.main.querySelector<HTMLElement>(`[data-act=${focusAct}]`)?.focus();
  }

  private openSlot(id: string, kind: NonNullable<CommentView['open']>, content: HTMLElement): CommentView | undefined {
    const view = this.viewOf(id);
    if (!view) return undefined;
    if (view.open === 'edit' && kind !== 'edit') this.closeSlot(id);
    view.open = kind;
    replaceChildren(view.slot, content);
    return view;
  }

  private flash(id: string, message: string): void {
    this.openSlot(id, 'message', h('p', { class: 'err', role: 'alert' }, message));
  }
}
