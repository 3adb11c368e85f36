import type { AdminSite, OidcProvider, SetOidcProviderRequest } from '@parley/contracts';
import { isApiError } from '../http';
import { h, replaceChildren, uid } from '../widget/dom';
import { api, errorText } from './context';

/**
 * A site's OpenID Connect provider, for admins: where readers "Log in with Gazette ID". Saving
 * asks Parley to fetch the provider's discovery document first (a wrong issuer changes nothing);
 * the client secret is write-only — left empty, the stored one is kept. docs/publishers.md §4.
 */
export function siteOidcPanel(site: AdminSite, onClose: () => void): HTMLElement {
  const status = h('p', { role: 'status', class: 'help' });
  const current = h('div', { class: 'oidc-current' });
  const fields = {
    issuer: field('Issuer URL', 'url', 'https://id.gazette.example (discovery is read from /.well-known/openid-configuration)'),
    clientId: field('Client id', 'text'),
    clientSecret: field('Client secret', 'password', 'Never shown again; leave empty to keep the stored one'),
    scopes: field('Extra scopes', 'text', 'e.g. profile email (openid is always asked for)'),
    label: field('Button text', 'text', 'e.g. Log in with Gazette ID'),
  };
  const remove = h('button', { class: 'danger', type: 'button', hidden: true, onclick: () => confirmRemoval() }, 'Remove provider…');
  const confirm = h('span', { class: 'confirm' });

  function field(label: string, type: string, help?: string) {
    const id = uid('oidc');
    const input = h('input', { id, type, autocomplete: type === 'password' ? 'new-password' : 'off', spellcheck: 'false' });
    const error = h('p', { class: 'field-error', id: `${id}-error` });
    return { input, error, element: h('div', { class: 'field' }, h('label', { for: id }, label), input, help ? h('p', { class: 'help' }, help) : null, error) };
  }

  function show(provider: OidcProvider | undefined): void {
    remove.hidden = !provider;
    replaceChildren(
      current,
      provider
        ? h(
            'dl',
            { class: 'settings' },
            h('dt', {}, 'Redirect URI'),
            h('dd', {}, h('code', {}, provider.redirectUri), h('span', { class: 'help' }, ' — register exactly this at the provider')),
            h('dt', {}, 'Accepted algorithms'),
            h('dd', {}, provider.algorithms.join(', ')),
            h('dt', {}, 'Changed'),
            h('dd', {}, new Date(provider.updatedAt).toLocaleString()),
          )
        : h('p', { class: 'empty' }, 'No provider: readers log in with Parley accounts or your sign-on token.'),
    );
    if (provider) {
      fields.issuer.input.value = provider.issuer;
      fields.clientId.input.value = provider.clientId;
      fields.scopes.input.value = provider.scopes.split(' ').filter((scope) => scope !== 'openid').join(' ');
      fields.label.input.value = provider.label;
    }
    fields.clientSecret.input.value = '';
  }

  async function load(): Promise<void> {
    try {
      show((await api.oidcProvider(site.id)).provider);
    } catch (error) {
      if (isApiError(error) && error.code === 'oidc_not_configured') show(undefined);
      else status.textContent = errorText(error);
    }
  }

  async function save(event: Event): Promise<void> {
    event.preventDefault();
    status.textContent = '';
    for (const { input, error } of Object.values(fields)) {
      error.textContent = '';
      input.removeAttribute('aria-invalid');
    }
    const value = (name: keyof typeof fields) => fields[name].input.value.trim();
    const request: SetOidcProviderRequest = {
      issuer: value('issuer'),
      clientId: value('clientId'),
      label: value('label'),
      ...(fields.clientSecret.input.value ? { clientSecret: fields.clientSecret.input.value } : {}),
      ...(value('scopes') ? { scopes: value('scopes') } : {}),
    };
    try {
      show((await api.setOidcProvider(site.id, request)).provider);
      status.textContent = `Saved. Readers on ${site.name}'s pages now see "${request.label}".`;
    } catch (error) {
      const issues = isApiError(error) ? error.fieldIssues : [];
      for (const issue of issues) {
        const target = fields[issue.field as keyof typeof fields];
        if (!target) continue;
        target.error.textContent = issue.message;
        target.input.setAttribute('aria-invalid', 'true');
      }
      status.textContent = issues.length > 0 ? 'Not saved: see the fields marked below.' : `Not saved: ${errorText(error)}`;
    }
  }

  function confirmRemoval(): void {
    const yes = h('button', { class: 'danger', type: 'button', onclick: () => void removeProvider() }, 'Remove it');
    const no = h('button', { type: 'button', onclick: () => (replaceChildren(confirm), remove.focus()) }, 'Keep it');
    replaceChildren(confirm, 'Readers will no longer see the provider\'s button; sessions already open go on. ', yes, ' ', no);
    no.focus();
  }

  async function removeProvider(): Promise<void> {
    try {
      await api.removeOidcProvider(site.id);
      replaceChildren(confirm);
      for (const { input } of Object.values(fields)) input.value = '';
      show(undefined);
      status.textContent = 'Removed the provider.';
    } catch (error) {
      status.textContent = errorText(error);
    }
  }

  void load();
  return h(
    'section',
    { class: 'site-oidc', 'aria-label': `Provider login of ${site.name}` },
    h('div', { class: 'panel-head' }, h('h3', {}, `Provider login of ${site.name}`), h('button', { type: 'button', onclick: onClose }, 'Close')),
    h('p', { class: 'help' }, 'Readers sign in with your newsroom\'s OpenID Connect provider (authorization code with PKCE). Register Parley as a client there with the redirect URI shown once saved.'),
    status,
    current,
    h(
      'form',
      { class: 'oidc-form', 'aria-label': 'Provider', onsubmit: (event: Event) => void save(event) },
      ...Object.values(fields).map((entry) => entry.element),
      h('div', { class: 'actions' }, h('button', { class: 'primary', type: 'submit' }, 'Save provider'), ' ', remove, ' ', confirm),
    ),
  );
}
