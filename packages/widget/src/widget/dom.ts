/** A tiny element builder. Text goes in as text nodes, never as HTML. */
export type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Record<string, string | number | boolean | EventListener | null | undefined> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = String(value);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(el: Node, children: Child[]): void {
  for (const child of children) if (child) el.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
}

export function replaceChildren(el: Element | DocumentFragment, ...children: Child[]): void {
  el.textContent = '';
  append(el, children);
}

let idCounter = 0;
/** Unique ids for label/field/description pairs inside one shadow root. */
export const uid = (prefix: string) => `${prefix}-${++idCounter}`;
