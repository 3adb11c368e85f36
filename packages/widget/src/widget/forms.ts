import { commentBodyMaxLength } from '../limits';
import type { I18n } from '../i18n';
import { reportReasons, type Api, type ReportReason } from '../api';
import { ApiError } from '../http';
import { h, uid } from './dom';
import { errorMessage, fieldProblem } from './errors';

export interface Composer {
  form: HTMLFormElement;
  textarea: HTMLTextAreaElement;
  /** The error under the box, with an action beside it (a button) when there is one. */
  showError(message: string, action?: HTMLElement | false): void;
  setValue(value: string): void;
  /** Read-only with its text kept (the reader may not post right now), or writable again with its error cleared. */
  setDisabled(disabled: boolean): void;
}

/**
 * A comment box: labelled textarea, Markdown hint, live character counter, inline error, and
 * "Preview" / "Write". Ctrl/Cmd+Enter submits, Escape cancels (when there is something to cancel).
 */
export function composer(
  i18n: I18n,
  api: Api,
  options: {
    placeholder: string;
    submitLabel: string;
    /** The textarea's label (visually hidden); defaults to "Your comment". */
    label?: string;
    initial?: string;
    onSubmit(body: string): void | Promise<void>;
    onCancel?(): void;
  },
): Composer {
  const id = uid('compose');
  const textarea = h('textarea', {
    id,
    name: 'body',
    placeholder: options.placeholder,
    'aria-describedby': `${id}-hint ${id}-count ${id}-err`,
    rows: 3,
  });
  textarea.value = options.initial ?? '';
  const counter = h('span', { id: `${id}-count`, 'aria-live': 'off' });
  const error = h('p', { id: `${id}-err`, class: 'err', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, options.submitLabel);
  // The server renders the body as it would publish it; the code is an on-demand chunk (./preview).
  const preview: HTMLButtonElement = h(
    'button',
    { type: 'button', 'aria-pressed': 'false', onclick: () => void import('./preview').then((chunk) => chunk.togglePreview({ i18n, api, textarea, toggle: preview, showError }, { h, errorMessage })) },
    i18n.t('preview'),
  );
  const update = () => {
    // The box grows with its text (up to 60% of the viewport, then it scrolls).
    if (textarea.isConnected) {
      textarea.style.height = 'auto';
      textarea.style.height = `${textarea.scrollHeight + 2}px`;
    }
    const left = commentBodyMaxLength - [...textarea.value].length;
    counter.textContent = i18n.t('charsLeft', { n: left });
    counter.classList.toggle('over', left < 0);
  };
  const form = h(
    'form',
    { class: 'compose', novalidate: true },
    h('label', { for: id, class: 'sr' }, options.label ?? i18n.t('composeLabel')),
    textarea,
    h('div', { class: 'meta' }, h('span', { id: `${id}-hint` }, i18n.t('markdownHint')), counter),
    error,
    h(
      'div',
      { class: 'row' },
      submit,
      preview,
      options.onCancel && h('button', { type: 'button', onclick: () => options.onCancel?.() }, i18n.t('cancel')),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const body = textarea.value.trim();
    if (!body) return showError(i18n.t('empty'));
    if ([...body].length > commentBodyMaxLength) return showError(i18n.t('tooLong'));
    showError('');
    submit.disabled = true;
    void Promise.resolve(options.onSubmit(body)).finally(() => {
      submit.disabled = textarea.readOnly;
    });
  });
  textarea.addEventListener('input', update);
  // Opened with text (an edit, a draft put back): sized once it is on the page.
  textarea.addEventListener('focus', update, { once: true });
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    } else if (event.key === 'Escape' && options.onCancel) {
      event.preventDefault();
      options.onCancel();
    }
  });
  const showError = (message: string, action?: HTMLElement | false) => {
    error.textContent = message;
    if (action) error.append(' ', action);
  };
  update();
  return {
    form,
    textarea,
    showError,
    setValue(value) {
      textarea.value = value;
      // Back to writing (the preview was of the text replaced).
      if (textarea.hidden) preview.click();
      update();
    },
    setDisabled(disabled) {
      if (textarea.readOnly === disabled) return;
      textarea.readOnly = disabled;
      submit.disabled = disabled;
      if (!disabled) showError('');
    },
  };
}

export type AuthMode = 'login' | 'register';

/** Log in / register inside the widget; field errors from a 400 appear beside their field. */
export function authForm(
  i18n: I18n,
  options: {
    mode: AuthMode;
    submit(fields: { email: string; password: string; displayName: string }): Promise<void>;
    switchMode(mode: AuthMode): void;
    cancel(): void;
  },
): HTMLElement {
  const register = options.mode === 'register';
  const field = (name: string, label: string, type: string, autocomplete: string) => {
    const id = uid(name);
    const input = h('input', { id, name, type, autocomplete, required: true, 'aria-describedby': `${id}-err` });
    const error = h('p', { id: `${id}-err`, class: 'err' });
    return { input, error, el: h('div', { class: 'field' }, h('label', { for: id }, label), input, error) };
  };
  const email = field('email', i18n.t('email'), 'email', 'email');
  const password = field('password', i18n.t('password'), 'password', register ? 'new-password' : 'current-password');
  const displayName = field('displayName', i18n.t('displayName'), 'text', 'nickname');
  const fields = { email, password, displayName };
  const general = h('p', { class: 'err', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, i18n.t(register ? 'submitRegister' : 'submitLogin'));
  const titleId = uid('auth');
  const form = h(
    'form',
    { class: 'panel', 'aria-labelledby': titleId, novalidate: true },
    h('h3', { id: titleId }, i18n.t(register ? 'registerTitle' : 'loginTitle')),
    email.el,
    password.el,
    register && displayName.el,
    general,
    h(
      'div',
      { class: 'row' },
      submit,
      h('button', { type: 'button', onclick: () => options.cancel() }, i18n.t('cancel')),
      h('span', { class: 'grow' }),
      h(
        'button',
        { type: 'button', class: 'link', onclick: () => options.switchMode(register ? 'login' : 'register') },
        i18n.t(register ? 'switchToLogin' : 'switchToRegister'),
      ),
    ),
  );
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') options.cancel();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    for (const f of Object.values(fields)) {
      f.error.textContent = '';
      f.input.removeAttribute('aria-invalid');
    }
    general.textContent = '';
    submit.disabled = true;
    options
      .submit({ email: email.input.value.trim(), password: password.input.value, displayName: displayName.input.value.trim() })
      .catch((error: unknown) => {
        let placed = false;
        if (error instanceof ApiError) {
          for (const issue of error.fieldIssues) {
            const target = fields[issue.field as keyof typeof fields];
            if (!target || (target === displayName && !register)) continue;
            target.error.textContent = fieldProblem(i18n, issue);
            target.input.setAttribute('aria-invalid', 'true');
            if (!placed) target.input.focus();
            placed = true;
          }
          if (error.code === 'email_taken') {
            email.error.textContent = errorMessage(i18n, error);
            email.input.setAttribute('aria-invalid', 'true');
            email.input.focus();
            placed = true;
          }
        }
        if (!placed) general.textContent = errorMessage(i18n, error);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}

const reasonKeys = { spam: 'reasonSpam', abuse: 'reasonAbuse', off_topic: 'reasonOffTopic', other: 'reasonOther' } as const;

/** Report a comment: a reason and an optional note. */
export function reportForm(
  i18n: I18n,
  options: { submit(reason: ReportReason, note: string): Promise<void>; cancel(): void },
): HTMLFormElement {
  const reasonId = uid('reason');
  const noteId = uid('note');
  const select = h('select', { id: reasonId, name: 'reason' });
  for (const reason of reportReasons) select.append(h('option', { value: reason }, i18n.t(reasonKeys[reason])));
  const note = h('textarea', { id: noteId, name: 'note', rows: 2, maxlength: 500 });
  const error = h('p', { class: 'err', role: 'alert' });
  const submit = h('button', { type: 'submit', class: 'primary' }, i18n.t('sendReport'));
  const form = h(
    'form',
    { class: 'panel' },
    h('div', { class: 'field' }, h('label', { for: reasonId }, i18n.t('reportReason')), select),
    h('div', { class: 'field' }, h('label', { for: noteId }, i18n.t('reportNote')), note),
    error,
    h('div', { class: 'row' }, submit, h('button', { type: 'button', onclick: () => options.cancel() }, i18n.t('cancel'))),
  );
  form.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') options.cancel();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    options
      .submit(select.value as ReportReason, note.value.trim())
      .catch((e: unknown) => {
        error.textContent = errorMessage(i18n, e);
      })
      .finally(() => {
        submit.disabled = false;
      });
  });
  return form;
}
