import type { AdminSite, AdminSiteResponse, FieldIssue } from '@parley/contracts';
import { isApiError } from '../http';
import { h } from '../widget/dom';
import { api, errorText } from './context';
import { createRequest, formValues, issueTarget, updateRequest, type FieldName, type SiteFormValues } from './site-form-values';

/**
 * The form that adds a site or changes one (admins). Edits are prefilled with what is stored and
 * send only what changed. A refused save leaves every field as typed and shows each of the
 * server's messages beside the field it names.
 */

interface FieldSpec {
  name: FieldName;
  label: string;
  help?: string;
  kind?: 'line' | 'lines' | 'number' | 'url';
  /** A select: value → label; '' is "the default". */
  choices?: [string, string][];
}

const groups: [string, FieldSpec[]][] = [
  [
    'Site',
    [
      { name: 'id', label: 'Site id', help: 'What pages put in site="…": lowercase letters, digits, - or _. It cannot change later.' },
      { name: 'name', label: 'Name' },
      { name: 'origins', label: 'Origins, one per line', kind: 'lines', help: 'Where the site\'s pages are served from, e.g. https://news.example.com (no path).' },
    ],
  ],
  [
    'Moderation',
    [
      {
        name: 'premoderation',
        label: 'Pre-moderation',
        choices: [['', 'Default: publish at once'], ['true', 'Hold new comments for review'], ['false', 'Publish at once']],
      },
      {
        name: 'premoderateFirstComments',
        label: 'Hold a newcomer\'s first comments',
        kind: 'number',
        help: 'A commenter\'s comments wait for review until this many of theirs were published here. Empty: no newcomer hold.',
      },
      { name: 'editWindowSeconds', label: 'Edit window (seconds)', kind: 'number', help: 'How long authors may edit a comment. Empty: the service\'s EDIT_WINDOW_SECONDS.' },
      { name: 'reportsToPending', label: 'Reports before hold', kind: 'number', help: 'A comment with this many open reports is hidden until a moderator decides. Empty: never.' },
      { name: 'autoCloseAfterDays', label: 'Auto-close after (days)', kind: 'number', help: 'Days after an article\'s first comment. Empty: discussions stay open.' },
      { name: 'removalReasons', label: 'Removal reasons, one per line', kind: 'lines' },
      { name: 'guidelinesUrl', label: 'Community guidelines link', kind: 'url' },
    ],
  ],
  [
    'Readers\' sign-in',
    [
      {
        name: 'ownAccounts',
        label: 'Readers sign in with',
        choices: [['', 'Default: Parley accounts'], ['true', 'Parley accounts'], ['false', 'The publisher\'s sign-on only (SSO)']],
      },
      { name: 'loginUrl', label: 'Publisher login URL', kind: 'url', help: 'SSO sites: where the widget\'s "log in" sends a reader.' },
      { name: 'logoutUrl', label: 'Publisher logout URL', kind: 'url', help: 'SSO sites: where "log out" sends a reader.' },
      {
        name: 'requireVerifiedEmail',
        label: 'Posting needs a confirmed email',
        choices: [['', 'Default: no'], ['true', 'Yes: readers confirm their email first'], ['false', 'No']],
        help: 'Parley accounts post and reply once they have opened the link mailed to them. Readers of this site\'s own sign-on (SSO, OpenID Connect) count as confirmed.',
      },
    ],
  ],
];

type Control = HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;

export interface SiteFormOptions {
  /** The site as stored, to change it; absent: a new site. */
  site?: AdminSite;
  onSaved: (site: AdminSite, created: boolean) => void;
  onCancel: () => void;
}

export function siteForm({ site, onSaved, onCancel }: SiteFormOptions): HTMLFormElement {
  const prefix = site ? 'site-edit' : 'site-new';
  const initial = formValues(site);
  const controls = {} as Record<FieldName, Control>;
  const errors = {} as Record<FieldName, HTMLElement>;
  const formError = h('p', { class: 'error', role: 'alert' });
  const status = h('p', { role: 'status', class: 'help' });
  const submit = h('button', { type: 'submit', class: 'primary' }, site ? 'Save changes' : 'Add site');

  function field(spec: FieldSpec): HTMLElement {
    const id = `${prefix}-${spec.name}`;
    const control: Control = spec.choices
      ? h('select', { id }, ...spec.choices.map(([value, label]) => h('option', { value }, label)))
      : spec.kind === 'lines'
        ? h('textarea', { id, rows: 3 })
        : h('input', { id, type: spec.kind === 'url' ? 'url' : 'text', inputmode: spec.kind === 'number' ? 'numeric' : undefined, autocomplete: 'off' });
    control.value = initial[spec.name];
    if (spec.name === 'id' && site) control.setAttribute('readonly', '');
    const help = spec.help ? h('p', { class: 'help', id: `${id}-help` }, spec.help) : null;
    const error = h('p', { class: 'error field-error', id: `${id}-error` });
    control.setAttribute('aria-describedby', [help?.id, error.id].filter(Boolean).join(' '));
    controls[spec.name] = control;
    errors[spec.name] = error;
    return h('div', { class: 'field' }, h('label', { for: id }, spec.label), control, help, error);
  }

  const form = h(
    'form',
    { class: 'site-form', novalidate: true, 'aria-label': site ? `Change ${site.name}` : 'Add a site', 'data-site': site?.id },
    h('h3', {}, site ? `Change ${site.name} (${site.id})` : 'Add a site'),
    ...groups.map(([legend, specs]) => h('fieldset', {}, h('legend', {}, legend), ...specs.map(field))),
    formError,
    h('div', { class: 'actions' }, submit, h('button', { type: 'button', onclick: () => onCancel() }, site ? 'Close' : 'Cancel')),
    status,
  );

  const values = (): SiteFormValues => {
    const current = {} as SiteFormValues;
    for (const name of Object.keys(controls) as FieldName[]) current[name] = controls[name].value;
    return current;
  };

  function clearMessages(): void {
    formError.textContent = '';
    status.textContent = '';
    for (const name of Object.keys(errors) as FieldName[]) {
      errors[name].textContent = '';
      controls[name].removeAttribute('aria-invalid');
    }
  }

  /** Each message beside its field; the first field with one gets the focus. */
  function showIssues(issues: FieldIssue[], typed: SiteFormValues): void {
    let first: Control | undefined;
    for (const issue of issues) {
      const target = issueTarget(issue, typed);
      if (target.field === 'form') {
        formError.textContent = [formError.textContent, target.message].filter(Boolean).join(' ');
        continue;
      }
      const error = errors[target.field];
      error.textContent = [error.textContent, target.message].filter(Boolean).join(' · ');
      controls[target.field].setAttribute('aria-invalid', 'true');
      first ??= controls[target.field];
    }
    first?.focus();
  }

  /** What a save would send, or why it cannot be sent. */
  function plan(typed: SiteFormValues): { issues: FieldIssue[]; send?: () => Promise<AdminSiteResponse> } {
    if (site) {
      const { request, issues } = updateRequest(site, typed);
      return { issues, send: request ? () => api.updateSite(site.id, request) : undefined };
    }
    const { request, issues } = createRequest(typed);
    return { issues, send: request ? () => api.createSite(request) : undefined };
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (submit.disabled) return;
    clearMessages();
    const typed = values();
    const { issues, send } = plan(typed);
    if (issues.length > 0) return showIssues(issues, typed);
    if (!send) {
      status.textContent = 'Nothing changed.';
      return;
    }
    submit.disabled = true;
    try {
      onSaved((await send()).site, !site);
    } catch (error) {
      if (isApiError(error) && error.fieldIssues.length > 0) showIssues(error.fieldIssues, typed);
      else if (isApiError(error) && error.code === 'site_exists') showIssues([{ field: 'id', message: error.message }], typed);
      else formError.textContent = errorText(error);
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
