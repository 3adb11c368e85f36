import type { JsonSchema, OpenApiDocument, OperationObject, ParameterObject, ResponseObject } from './types';

/*
 * The docs page is rendered here, on the server, to static HTML: the gateway's CSP
 * (`default-src 'self'`) allows no inline script or style and no CDN, and a reference page needs
 * neither. Collapsible parts use <details>; every `$ref` is a link to its schema further down.
 */

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

const schemaAnchor = (name: string) => `schema-${name}`;
const refName = (ref: string) => (ref.startsWith('#/components/schemas/') ? ref.slice('#/components/schemas/'.length) : undefined);

/** The small Markdown the descriptions use: paragraphs, `code` and **bold**. */
function markdown(text: string): string {
  const inline = (part: string) =>
    escapeHtml(part)
      .replace(/`([^`]+)`/g, '<code>$1</code>')
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>');
  return text
    .split(/\n{2,}/)
    .map((paragraph) => `<p>${inline(paragraph.trim())}</p>`)
    .join('\n');
}

/** Pretty-printed JSON, escaped, with schema references turned into links. */
export function jsonHtml(value: unknown, indent = ''): string {
  const next = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[\n${value.map((item) => next + jsonHtml(item, next)).join(',\n')}\n${indent}]`;
  }
  if (value && typeof value === 'object') {
    const entries = Object.entries(value);
    if (entries.length === 0) return '{}';
    const lines = entries.map(([key, child]) => {
      const name = key === '$ref' && typeof child === 'string' ? refName(child) : undefined;
      const rendered = name
        ? `<a href="#${escapeHtml(schemaAnchor(name))}">${escapeHtml(JSON.stringify(child))}</a>`
        : jsonHtml(child, next);
      return `${next}<span class="key">${escapeHtml(JSON.stringify(key))}</span>: ${rendered}`;
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return `<span class="value">${escapeHtml(JSON.stringify(value) ?? 'null')}</span>`;
}

const pre = (value: unknown) => `<pre class="schema">${jsonHtml(value)}</pre>`;

/** A schema shown where it is used: a link to its component, with the component's body folded out. */
function schemaBlock(schema: JsonSchema, document: OpenApiDocument): string {
  const name = typeof schema.$ref === 'string' ? refName(schema.$ref) : undefined;
  if (!name) return Object.keys(schema).length === 0 ? '' : pre(schema);
  const body = document.components.schemas[name];
  return `<details class="schema-ref" open><summary><a href="#${escapeHtml(schemaAnchor(name))}">${escapeHtml(name)}</a></summary>${pre(body ?? {})}</details>`;
}

function schemaSummary(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref) ?? schema.$ref;
    return `<a href="#${escapeHtml(schemaAnchor(name))}">${escapeHtml(name)}</a>`;
  }
  return `<code>${escapeHtml(JSON.stringify(schema))}</code>`;
}

function parametersTable(parameters: ParameterObject[]): string {
  const rows = parameters
    .map(
      (parameter) =>
        `<tr><td><code>${escapeHtml(parameter.name)}</code></td><td>${parameter.in}</td><td>${parameter.required ? 'required' : 'optional'}</td>` +
        `<td>${schemaSummary(parameter.schema)}</td><td>${parameter.description ? markdown(parameter.description) : ''}</td></tr>`,
    )
    .join('\n');
  return `<h4>Parameters</h4><table class="parameters"><thead><tr><th>Name</th><th>In</th><th></th><th>Schema</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function responsesList(responses: Record<string, ResponseObject>, document: OpenApiDocument): string {
  const items = Object.entries(responses).map(([status, response]) => {
    const kind = status.startsWith('2') || status === '101' ? 'success' : 'error';
    // Successes show their schema unfolded; errors all share ErrorBody, so a link is enough.
    const content = Object.entries(response.content ?? {})
      .map(([type, media]) =>
        kind === 'error' && typeof media.schema.$ref === 'string'
          ? ` <span class="media-type">${escapeHtml(type)}</span> ${schemaSummary(media.schema)}`
          : `<div class="media"><span class="media-type">${escapeHtml(type)}</span>${schemaBlock(media.schema, document)}</div>`,
      )
      .join('');
    return `<li class="response ${kind}"><span class="status">${escapeHtml(status)}</span> ${markdown(response.description)}${content}</li>`;
  });
  return `<h4>Responses</h4><ul class="responses">${items.join('\n')}</ul>`;
}

function authLine(operation: OperationObject): string {
  const roles = operation['x-parley-roles'];
  const label = { none: 'No token', optional: 'Bearer token optional', required: 'Bearer token required' }[operation['x-parley-auth']];
  return `<p class="meta"><span class="auth auth-${operation['x-parley-auth']}">${label}${roles ? ` — ${escapeHtml(roles.join(' or '))}` : ''}</span> · served by <code>${operation['x-parley-service']}</code> · <code>${escapeHtml(operation.operationId)}</code></p>`;
}

function operationSection(method: string, path: string, operation: OperationObject, document: OpenApiDocument): string {
  const body = operation.requestBody?.content['application/json'];
  return [
    `<section class="operation" id="${escapeHtml(operation.operationId)}">`,
    `<h3><span class="method method-${method}">${method.toUpperCase()}</span> <span class="path">${escapeHtml(path)}</span></h3>`,
    `<p class="summary">${escapeHtml(operation.summary)}</p>`,
    authLine(operation),
    operation.description ? markdown(operation.description) : '',
    operation.parameters?.length ? parametersTable(operation.parameters) : '',
    body ? `<h4>Request body${operation.requestBody?.required ? '' : ' (optional)'}</h4>${schemaBlock(body.schema, document)}` : '',
    responsesList(operation.responses, document),
    '</section>',
  ].join('\n');
}

function liveSection(document: OpenApiDocument): string {
  const live = document['x-live-events'];
  const rows = live.events
    .map(
      (event) =>
        `<tr><td><code>${escapeHtml(event.name)}</code></td><td>${event.direction === 'client-to-server' ? 'client → server' : 'server → client'}</td>` +
        `<td>${markdown(event.description)}${event.room ? `<p class="meta">To: <code>${escapeHtml(event.room)}</code></p>` : ''}</td>` +
        `<td>${event.payload ? schemaSummary(event.payload) : '—'}</td><td>${event.ack ? schemaSummary(event.ack) : '—'}</td></tr>`,
    )
    .join('\n');
  return [
    '<section class="tag" id="live-events">',
    `<h2>Live events <code>${escapeHtml(live.path)}</code></h2>`,
    markdown(live.description),
    `<p>Handshake <code>auth</code>: ${schemaSummary(live.handshake.auth)}. ${markdown(live.handshake.description)}</p>`,
    `<table class="events"><thead><tr><th>Event</th><th>Direction</th><th>Description</th><th>Payload</th><th>Ack</th></tr></thead><tbody>${rows}</tbody></table>`,
    '</section>',
  ].join('\n');
}

/** The whole reference as one static HTML page; `stylesheetHref` is where docs.css is served. */
export function renderDocsPage(document: OpenApiDocument, options: { stylesheetHref: string; documentHref: string }): string {
  const byTag = new Map<string, { method: string; path: string; operation: OperationObject }[]>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item) as [string, OperationObject][]) {
      const tag = operation.tags[0] ?? 'Other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ method, path, operation });
    }
  }
  const tagAnchor = (name: string) => `tag-${name.toLowerCase()}`;

  const toc = document.tags
    .filter((tag) => byTag.has(tag.name))
    .map(
      (tag) =>
        `<li><a href="#${tagAnchor(tag.name)}">${escapeHtml(tag.name)}</a><ul>${byTag
          .get(tag.name)!
          .map(({ method, path, operation }) => `<li><a href="#${escapeHtml(operation.operationId)}"><span class="method method-${method}">${method.toUpperCase()}</span> ${escapeHtml(path)}</a></li>`)
          .join('')}</ul></li>`,
    )
    .join('\n');

  const sections = document.tags
    .filter((tag) => byTag.has(tag.name))
    .map((tag) =>
      [
        `<section class="tag" id="${tagAnchor(tag.name)}">`,
        `<h2>${escapeHtml(tag.name)}</h2>`,
        markdown(tag.description),
        ...byTag.get(tag.name)!.map(({ method, path, operation }) => operationSection(method, path, operation, document)),
        '</section>',
      ].join('\n'),
    )
    .join('\n');

  const schemas = Object.entries(document.components.schemas)
    .map(([name, schema]) => `<section class="component" id="${escapeHtml(schemaAnchor(name))}"><h3>${escapeHtml(name)}</h3>${pre(schema)}</section>`)
    .join('\n');

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(document.info.title)} ${escapeHtml(document.info.version)}</title>
<link rel="stylesheet" href="${escapeHtml(options.stylesheetHref)}">
</head>
<body>
<nav class="toc">
<p class="brand"><a href="#top">${escapeHtml(document.info.title)}</a></p>
<ul>
${toc}
<li><a href="#live-events">Live events</a></li>
<li><a href="#schemas">Schemas</a></li>
</ul>
</nav>
<main id="top">
<header>
<h1>${escapeHtml(document.info.title)} <span class="version">${escapeHtml(document.info.version)}</span></h1>
<p class="meta">OpenAPI ${escapeHtml(document.openapi)} · <a href="${escapeHtml(options.documentHref)}">openapi.json</a>${document.servers?.[0] ? ` · server <code>${escapeHtml(document.servers[0].url)}</code>` : ''}</p>
${markdown(document.info.description)}
</header>
${sections}
${liveSection(document)}
<section class="tag" id="schemas">
<h2>Schemas</h2>
<p>JSON Schema 2020-12, generated from the zod schemas in <code>@parley/contracts</code>.</p>
${schemas}
</section>
</main>
</body>
</html>
`;
}

export const docsStylesheet = `:root {
  color-scheme: light;
  --ink: #1d2330;
  --muted: #5b6474;
  --line: #dde2ea;
  --panel: #f6f8fb;
  --accent: #0b5cad;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink);
  line-height: 1.5;
}
* { box-sizing: border-box; }
body { margin: 0; display: grid; grid-template-columns: 24rem 1fr; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
nav.toc { position: sticky; top: 0; height: 100vh; overflow-y: auto; padding: 1rem; border-right: 1px solid var(--line); background: var(--panel); font-size: 0.85rem; }
nav.toc ul { list-style: none; margin: 0; padding: 0 0 0 0.5rem; }
nav.toc > ul { padding: 0; }
nav.toc li { margin: 0.15rem 0; }
nav.toc li li a { display: flex; gap: 0.4rem; align-items: baseline; overflow-wrap: anywhere; }
nav.toc .brand { font-weight: 700; font-size: 1rem; margin-top: 0; }
main { padding: 1.5rem 2.5rem 4rem; max-width: 70rem; min-width: 0; }
h1 .version { font-size: 1rem; color: var(--muted); font-weight: 400; }
h2 { border-bottom: 2px solid var(--line); padding-bottom: 0.3rem; margin-top: 3rem; }
h4 { margin: 1rem 0 0.4rem; }
.meta { color: var(--muted); font-size: 0.85rem; }
section.operation { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 1.2rem 1rem; margin: 1.2rem 0; }
section.operation h3 { margin: 0.6rem 0 0.2rem; font-weight: 600; }
.path { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.summary { margin: 0; font-weight: 500; }
.method { display: inline-block; min-width: 4.2rem; padding: 0.05rem 0.4rem; border-radius: 4px; color: #fff; font-size: 0.75rem; font-weight: 700; text-align: center; font-family: ui-monospace, monospace; }
nav.toc .method { flex: none; min-width: 3.4rem; font-size: 0.65rem; }
.method-get { background: #1f7a3d; }
.method-post { background: #0b5cad; }
.method-put { background: #8a5a00; }
.method-patch { background: #6b3fa0; }
.method-delete { background: #b3261e; }
.auth-required { color: #8a3b00; font-weight: 600; }
.auth-optional { color: #0b5cad; }
table { border-collapse: collapse; width: 100%; font-size: 0.85rem; }
th, td { border: 1px solid var(--line); padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
td p { margin: 0; }
ul.responses { list-style: none; padding: 0; margin: 0; }
li.response { padding: 0.35rem 0; border-top: 1px solid var(--line); }
li.response > p { display: inline; margin: 0; }
.status { display: inline-block; min-width: 2.6rem; font-weight: 700; font-family: ui-monospace, monospace; }
li.success .status { color: #1f7a3d; }
li.error .status { color: #b3261e; }
.media { margin: 0.3rem 0 0 2.6rem; }
.media-type { color: var(--muted); font-size: 0.8rem; margin-right: 0.5rem; }
details.schema-ref { display: inline-block; width: 100%; }
details.schema-ref summary { cursor: pointer; }
pre.schema { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 0.6rem 0.8rem; overflow-x: auto; margin: 0.3rem 0; }
pre.schema .key { color: #6b3fa0; }
pre.schema .value { color: #1f5f3d; }
section.component { margin: 1.5rem 0; }
@media (max-width: 900px) {
  body { display: block; }
  nav.toc { position: static; height: auto; border-right: 0; border-bottom: 1px solid var(--line); }
  main { padding: 1rem; }
}
`;
