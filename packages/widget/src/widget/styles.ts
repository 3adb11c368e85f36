/**
 * Shadow DOM styles. Publishers theme through the custom properties on the host element; page
 * styles on `parley-comments { --parley-accent: … }` beat these :host defaults.
 */
const light = `--parley-bg:#fff;--parley-text:#1a1d21;--parley-muted:#5f6670;--parley-border:#e2e5e9;--parley-accent:#0b63ce;--parley-surface:#f5f7f9;--parley-danger:#b3261e;`;
const dark = `--parley-bg:#16181b;--parley-text:#e9ebee;--parley-muted:#9aa3ad;--parley-border:#2e3238;--parley-accent:#5aa2ff;--parley-surface:#1f2226;--parley-danger:#ff8a80;`;

/** A dark box on a page of its own colour needs room inside its edge. */
const darkBox = `.p{padding:16px;border-radius:var(--parley-radius)}`;

/**
 * `theme`: `light` (the default: news pages are light whatever the reader's OS says), `dark`, or
 * `auto` (follows prefers-color-scheme). See docs/publishers.md.
 */
export const styles = `
:host{${light}--parley-font:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;--parley-radius:8px;display:block;contain:content;color-scheme:light}
:host([theme=dark]){${dark}color-scheme:dark}
:host([theme=dark]) ${darkBox}
@media (prefers-color-scheme:dark){:host([theme=auto]){${dark}color-scheme:dark}:host([theme=auto]) ${darkBox}}
:host([hidden]){display:none}
.p{font:15px/1.55 var(--parley-font);color:var(--parley-text);background:var(--parley-bg);padding:16px 0;text-align:start}
*{box-sizing:border-box}
[hidden]{display:none!important}
button,input,select,textarea{font:inherit;color:inherit}
button{cursor:pointer;border-radius:var(--parley-radius);border:1px solid var(--parley-border);background:var(--parley-bg);padding:5px 12px}
button:hover{border-color:var(--parley-muted)}
button:disabled{opacity:.55;cursor:default}
:focus-visible{outline:2px solid var(--parley-accent);outline-offset:2px}
.primary{background:var(--parley-accent);border-color:var(--parley-accent);color:#fff;font-weight:600}
.link{border:0;background:none;padding:0;color:var(--parley-accent);font-weight:600;text-decoration:underline;text-underline-offset:2px}
.quiet{border:0;background:none;padding:2px 6px;color:var(--parley-muted);font-size:13px;font-weight:600}
.quiet:hover{color:var(--parley-text)}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.head{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;justify-content:space-between;border-bottom:2px solid var(--parley-text);padding-bottom:8px;margin-bottom:12px}
.count{font-size:20px;font-weight:700;margin:0}
.sort{display:flex;align-items:center;gap:6px;color:var(--parley-muted);font-size:14px}
select,input,textarea{background:var(--parley-bg);border:1px solid var(--parley-border);border-radius:var(--parley-radius);padding:6px 8px}
.account{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:8px 0 12px;color:var(--parley-muted)}
.panel{background:var(--parley-surface);border:1px solid var(--parley-border);border-radius:var(--parley-radius);padding:14px;margin:8px 0 14px}
.panel h3{margin:0 0 10px;font-size:16px}
.field{display:flex;flex-direction:column;gap:3px;margin-bottom:10px}
.field label{font-size:13px;font-weight:600}
.row{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.grow{flex:1}
.err{color:var(--parley-danger);font-size:13px;margin:4px 0}
.err:empty{display:none}
.ok{color:var(--parley-muted);font-size:13px}
.notice{background:var(--parley-surface);border-left:4px solid var(--parley-muted);padding:10px 12px;margin:8px 0 12px;border-radius:4px}
.compose textarea{width:100%;min-height:84px;max-height:60vh;resize:vertical;display:block;overflow-y:auto}
.compose .meta{display:flex;justify-content:space-between;gap:8px;color:var(--parley-muted);font-size:12px;margin:4px 0 8px}
.compose .over{color:var(--parley-danger)}
.new{display:block;width:100%;margin:8px 0;background:var(--parley-accent);border-color:var(--parley-accent);color:#fff;font-weight:600;position:sticky;top:8px;z-index:2;box-shadow:0 2px 8px rgba(0,0,0,.18)}
.live{color:var(--parley-muted);font-size:13px;margin:4px 0}
.list{display:flex;flex-direction:column}
.c{padding:12px 0 0}
.list>.c+.c{border-top:1px solid var(--parley-border)}
.replies{margin-inline-start:14px;padding-inline-start:14px;border-inline-start:2px solid var(--parley-border)}
.replies:empty{display:none}
.c-meta{display:flex;flex-wrap:wrap;gap:2px 8px;align-items:baseline;font-size:13px;color:var(--parley-muted)}
.author{color:var(--parley-text);font-weight:700;font-size:14px}
.badge{display:inline-block;padding:0 6px;border-radius:8px;border:1px solid currentColor;color:var(--parley-accent);font-size:12px;line-height:18px;font-weight:600}
.own{background:var(--parley-accent);color:#fff;border-radius:4px;padding:0 5px;font-size:11px}
.c-text{margin:4px 0 2px;overflow-wrap:anywhere}
.c-text p{margin:0 0 8px}
.c-text p:last-child{margin:0}
.c-text a{color:var(--parley-accent)}
.c-text blockquote{margin:4px 0;padding-inline-start:10px;border-inline-start:3px solid var(--parley-border);color:var(--parley-muted)}
.c-text pre,.c-text code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px;background:var(--parley-surface);border-radius:4px}
.c-text pre{padding:8px;overflow:auto}
.plain{white-space:pre-wrap}
.gone{font-style:italic;color:var(--parley-muted)}
.sending{opacity:.6}
.actions{display:flex;flex-wrap:wrap;gap:2px;margin:2px 0 6px -6px}
.like[aria-pressed=true]{color:var(--parley-accent)}
.more{margin:4px 0 8px}
.permalink{color:inherit;text-decoration:none}
.permalink:hover{text-decoration:underline}
.c.target>.c-main{background:var(--parley-surface);box-shadow:-8px 0 0 var(--parley-surface),8px 0 0 var(--parley-surface);border-radius:4px}
.likes{color:var(--parley-muted);font-size:13px;font-weight:600;padding:2px 6px}
.slot:empty{display:none}
.slot{margin:6px 0 10px}
.foot{text-align:center;margin:16px 0}
.status{color:var(--parley-muted);padding:12px 0}
`;
