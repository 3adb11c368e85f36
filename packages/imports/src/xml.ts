import { SaxesParser } from 'saxes';
import type { Place } from './source';

/**
 * A streaming XML reader for exports of any size (docs/adr/0016). Memory holds one record — a
 * Disqus `<post>`, a WordPress `<item>` — never the file.
 *
 * Real exports are messy, so the file is first cut into records by a small scanner that knows
 * only tags, CDATA, comments and quotes, and each record is parsed by its own saxes parser: a
 * broken record (a mistyped close tag, an unclosed element) is reported with its place and
 * costs that record alone, and parsing goes on with the next. The scanner closes a record when a
 * tag of the record's own name opens inside it (a post never holds a post) and ignores close tags
 * it never saw open, so one mistake cannot swallow the rest of the file. Characters before the
 * prolog (a BOM, stray bytes) are dropped and reported; HTML entities (&nbsp; &eacute; …) are
 * understood; an unknown entity or a control character is reported and reading goes on.
 */

export interface XmlHandlers {
  open(name: string, attributes: Record<string, string>, place: Place): void;
  /** `text` is the element's text and CDATA (inside a raw element, its markup too). */
  close(name: string, text: string): void;
  /** Parsing goes on after an error; `harmless` is true for ones that lose nothing (an unknown entity, a control character). */
  error(place: Place, message: string, harmless: boolean): void;
}

const htmlEntities: Record<string, string> = {
  nbsp: '\u00a0', hellip: '…', mdash: '—', ndash: '–', lsquo: '‘', rsquo: '’', ldquo: '“', rdquo: '”', laquo: '«', raquo: '»',
  copy: '©', reg: '®', trade: '™', euro: '€', pound: '£', eacute: 'é', egrave: 'è', agrave: 'à', aacute: 'á', ccedil: 'ç',
  uuml: 'ü', ouml: 'ö', auml: 'ä', szlig: 'ß', ntilde: 'ñ', iacute: 'í', oacute: 'ó', uacute: 'ú', deg: '°', middot: '·', bull: '•',
};

export interface XmlShape {
  /** How deep records sit: 1 for children of the root (Disqus), 2 for grandchildren (WordPress items). */
  recordDepth: number;
  /** Elements whose inner markup is their text (HTML bodies written unescaped). */
  raw: ReadonlySet<string>;
  /**
   * The longest one tag, CDATA section, comment or instruction may be (characters). The scanner
   * waits for the end of a construct before going on, so without a bound one `<![CDATA[` that is
   * never closed would hold the rest of the file in memory; past this it is reported and read on
   * as text (its record is then skipped as malformed).
   */
  maxConstructChars?: number;
}

/** Far more than any real tag or comment body (an imported body is at most 100,000 characters). */
export const defaultMaxConstructChars = 4 * 1024 * 1024;

/** Reads `chunks` (text) through `handlers`. */
export async function readXml(chunks: AsyncIterable<string>, handlers: XmlHandlers, shape: XmlShape): Promise<void> {
  const maxConstruct = shape.maxConstructChars ?? defaultMaxConstructChars;
  const stack: string[] = [];
  let buffer = '';
  // A position in the buffer whose line and column are known; places are counted forward from it
  // (scanning only moves forward), so no text is ever counted twice.
  let cursor = { index: 0, line: 1, column: 1 };
  let started = false;
  let recordStart = -1;
  let recordPlace: Place = { line: 1, column: 1 };

  const placeOf = (at: number): Place => {
    let { line, column } = cursor;
    let from = cursor.index;
    for (let nl = buffer.indexOf('\n', from); nl >= 0 && nl < at; nl = buffer.indexOf('\n', nl + 1)) {
      line += 1;
      column = 1;
      from = nl + 1;
    }
    column += at - from;
    cursor = { index: at, line, column };
    return { line, column };
  };
  const advance = (upTo: number) => {
    if (upTo >= cursor.index) {
      const place = placeOf(upTo);
      cursor = { index: 0, line: place.line, column: place.column };
    } else cursor = { ...cursor, index: cursor.index - upTo };
    buffer = buffer.slice(upTo);
    if (recordStart >= 0) recordStart -= upTo;
  };
  const endRecord = (end: number) => {
    const text = buffer.slice(recordStart, end);
    if (text.trim()) parseRecord(text, recordPlace, handlers, shape.raw);
    recordStart = -1;
  };
  const closeAncestors = (depth: number) => {
    while (stack.length > depth) {
      const name = stack.pop()!;
      if (stack.length < shape.recordDepth) handlers.close(name, '');
    }
  };

  /** Where scanning resumes: a record being gathered stays in the buffer, already scanned. */
  let resume = 0;
  /** Scans what the buffer holds, up to a construct that is not all there yet (unless `final`). */
  const scan = (final: boolean): void => {
    let at = resume;
    for (;;) {
      const lt = buffer.indexOf('<', at);
      if (lt < 0) {
        at = buffer.length;
        break;
      }
      const rest = (prefix: string) => buffer.startsWith(prefix, lt);
      let end: number;
      if (rest('<![CDATA[')) end = find(']]>', lt + 9);
      else if (rest('<!--')) end = find('-->', lt + 4);
      else if (rest('<?')) end = find('?>', lt + 2);
      else if (rest('<!')) end = find('>', lt + 2);
      else end = tagEnd(buffer, lt + 1);
      if (end < 0 && !final && buffer.length - lt > maxConstruct) {
        // Never closed (or absurdly long): say where, and read on past its opening as text.
        const opener = /^<(?:!\[CDATA\[|!--|\?|!|\/?)/.exec(buffer.slice(lt, lt + 9))![0];
        handlers.error(placeOf(lt), `${opener}… runs on for more than ${maxConstruct} characters without its end; read on as text`, false);
        at = lt + opener.length;
        continue;
      }
      if (end < 0) {
        if (!final) {
          at = lt;
          break;
        }
        end = buffer.length;
      }
      if (!rest('<!') && !rest('<?')) {
        const tag = buffer.slice(lt, end);
        const closing = tag.startsWith('</');
        const name = /^<\/?\s*([^\s/>]+)/.exec(tag)?.[1] ?? '';
        if (closing) {
          const open = stack.lastIndexOf(name);
          if (open >= 0) {
            const wasInRecord = stack.length > shape.recordDepth;
            if (wasInRecord && open <= shape.recordDepth) {
              stack.length = shape.recordDepth;
              endRecord(end);
            }
            closeAncestors(open);
          }
        } else if (name) {
          const selfClosing = tag.endsWith('/>');
          if (stack.length > shape.recordDepth && name === stack[shape.recordDepth]) {
            // A record of this name opening inside one: the first was never closed. Parse it as it is.
            stack.length = shape.recordDepth;
            endRecord(lt);
          }
          if (stack.length === shape.recordDepth) {
            recordStart = lt;
            recordPlace = placeOf(lt);
            if (selfClosing) endRecord(end);
            else stack.push(name);
          } else if (stack.length < shape.recordDepth) {
            handlers.open(name, {}, placeOf(lt));
            if (selfClosing) handlers.close(name, '');
            else stack.push(name);
          } else if (!selfClosing) stack.push(name);
        }
      }
      at = end;
    }
    // Keep what a record still needs; drop the rest.
    const keep = recordStart >= 0 ? recordStart : at;
    advance(keep);
    resume = at - keep;
  };
  const find = (token: string, from: number) => {
    const found = buffer.indexOf(token, from);
    return found < 0 ? -1 : found + token.length;
  };

  for await (let chunk of chunks) {
    if (!started) {
      const at = chunk.indexOf('<');
      const stray = at < 0 ? chunk : chunk.slice(0, at);
      if (stray.replace(/^\uFEFF/, '').trim()) handlers.error({ line: cursor.line, column: 1 }, `${stray.replace(/^\uFEFF/, '').trim().length} stray characters before the XML prolog were ignored`, true);
      cursor = { index: 0, line: cursor.line + stray.split('\n').length - 1, column: 1 };
      if (at < 0) continue;
      chunk = chunk.slice(at);
      started = true;
    }
    buffer += chunk;
    scan(false);
  }
  scan(true);
  if (recordStart >= 0) {
    stack.length = shape.recordDepth;
    endRecord(buffer.length);
  }
  closeAncestors(0);
}

/** Where the tag that opened at `from` - 1 ends (after its '>'), minding quoted attribute values; -1 if not yet in the buffer. */
function tagEnd(text: string, from: number): number {
  let quote = '';
  for (let at = from; at < text.length; at += 1) {
    const c = text[at]!;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>') return at + 1;
    else if (c === '<') return at; // a tag cut short: end it here, the record's parser will say so
  }
  return -1;
}

/** One record through its own parser; places are the file's. */
function parseRecord(text: string, at: Place, handlers: XmlHandlers, raw: ReadonlySet<string>): void {
  const parser = new SaxesParser({ position: true });
  Object.assign(parser.ENTITIES, htmlEntities);
  const place = (): Place => (parser.line === 1 ? { line: at.line, column: at.column + parser.column } : { line: at.line + parser.line - 1, column: parser.column + 1 });
  let content = '';
  let rawDepth = 0;
  let tagPlace: Place = at;
  const opened: string[] = [];
  // After a real error the rest of the record is not trusted: the caller hears of the error, then only that it ends.
  let broken = false;

  parser.on('opentagstart', (tag) => {
    // saxes is past "<name" and the character after it: the tag began name + 2 columns back.
    const here = place();
    tagPlace = { line: here.line, column: Math.max(1, here.column - tag.name.length - 2) };
  });
  parser.on('opentag', (tag) => {
    if (broken) return;
    const attributes = tag.attributes as Record<string, string>;
    if (rawDepth > 0) {
      content += `<${tag.name}${Object.entries(attributes).map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`).join('')}${tag.isSelfClosing ? ' /' : ''}>`;
      if (!tag.isSelfClosing) rawDepth += 1;
      return;
    }
    content = '';
    if (raw.has(tag.name) && !tag.isSelfClosing) rawDepth = 1;
    opened.push(tag.name);
    handlers.open(tag.name, attributes, tagPlace);
  });
  parser.on('text', (value) => {
    content += rawDepth > 0 ? value.replace(/&/g, '&amp;').replace(/</g, '&lt;') : value;
  });
  parser.on('cdata', (value) => {
    content += value;
  });
  parser.on('closetag', (tag) => {
    if (broken || (rawDepth > 0 && tag.isSelfClosing)) return;
    if (rawDepth > 1) {
      rawDepth -= 1;
      content += `</${tag.name}>`;
      return;
    }
    rawDepth = 0;
    opened.pop();
    handlers.close(tag.name, content);
    content = '';
  });
  parser.on('error', (error) => {
    if (broken) return;
    const message = error.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '');
    const harmless = /undefined entity|disallowed character/.test(message);
    handlers.error(place(), message, harmless);
    if (!harmless) broken = true;
  });
  parser.write(text);
  parser.close();
  // saxes reports an unclosed element but does not close it: close what is left, so callers see the record end.
  while (opened.length > 0) handlers.close(opened.pop()!, '');
}
