/** The encodings a cached page is kept in: brotli, gzip, or as it is. */
export type Encoding = 'br' | 'gzip' | 'identity';

/** In order of preference where the client weighs them alike. */
const compressed = ['br', 'gzip'] as const;

/**
 * The best encoding an `Accept-Encoding` header allows (RFC 9110 §12.5.3): the compressed one
 * with the highest q (br first when equal; `*` stands for any not named), else identity.
 * Browsers send the same few headers over and over, so answers are remembered per header.
 */
export function chooseEncoding(header: string | undefined): Encoding {
  if (!header) return 'identity';
  const known = remembered.get(header);
  if (known) return known;
  const choice = parse(header);
  if (remembered.size >= 256) remembered.clear();
  remembered.set(header, choice);
  return choice;
}

const remembered = new Map<string, Encoding>();

function parse(header: string): Encoding {
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q' && value !== undefined) {
        const parsed = Number(value);
        q = Number.isFinite(parsed) ? parsed : 0;
      }
    }
    weights.set(name.trim(), Math.max(weights.get(name.trim()) ?? 0, q));
  }
  const any = weights.get('*') ?? 0;
  let best: Encoding = 'identity';
  let bestQ = 0;
  for (const encoding of compressed) {
    const q = weights.get(encoding) ?? any;
    if (q > bestQ) {
      best = encoding;
      bestQ = q;
    }
  }
  // Identity is the fallback whatever the header says: a 406 would only break the page.
  return best;
}

/**
 * Whether `If-None-Match` names the current version (`etags`: its tag in each encoding). GET uses
 * the weak comparison (RFC 9110 §13.1.2): `W/` is ignored, and so is which encoding the client
 * holds, since every encoding of one version carries the same page.
 */
export function matchesVersion(ifNoneMatch: string | undefined, etags: readonly string[]): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  for (const raw of ifNoneMatch.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (etags.includes(tag)) return true;
  }
  return false;
}
