import type { IncomingHttpHeaders } from 'node:http';
import zlib from 'node:zlib';

export type ContentCoding = 'br' | 'gzip';

/** Text the gateway may compress: JSON, HTML, CSS, JavaScript, SVG, plain text. */
const compressibleType = /^(application\/(json|[a-z.+-]*\+json|javascript|xml)|text\/[a-z]+|image\/svg\+xml)\b/i;

/**
 * Which coding the gateway adds to an upstream answer, if any: none when the upstream already
 * encoded it (its own brotli is passed through untouched), when it is not text, too small to be
 * worth it (`minBytes`, 0: never compress), marked `no-transform`, has no body, or when the
 * client's Accept-Encoding allows neither br nor gzip.
 */
export function codingFor(
  request: { method?: string | undefined; acceptEncoding?: string | string[] | undefined },
  status: number,
  headers: IncomingHttpHeaders,
  minBytes: number,
): ContentCoding | undefined {
  if (minBytes <= 0 || request.method === 'HEAD' || status < 200 || status === 204 || status === 304) return undefined;
  if (headers['content-encoding'] && headers['content-encoding'] !== 'identity') return undefined;
  if (!compressibleType.test(headers['content-type'] ?? '')) return undefined;
  if (/\bno-transform\b/i.test(headers['cache-control'] ?? '')) return undefined;
  const length = headers['content-length'] === undefined ? undefined : Number(headers['content-length']);
  if (length !== undefined && length < minBytes) return undefined;
  return accepted(Array.isArray(request.acceptEncoding) ? request.acceptEncoding.join(',') : request.acceptEncoding);
}

/** br or gzip as the client weighs them (br when equal), undefined when it accepts neither. */
export function accepted(header: string | undefined): ContentCoding | undefined {
  if (!header) return undefined;
  let best: ContentCoding | undefined;
  let bestQ = 0;
  const weights = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name = '', ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    weights.set(name.trim(), Number.isFinite(weight) ? weight : 0);
  }
  for (const coding of ['br', 'gzip'] as const) {
    const q = weights.get(coding) ?? weights.get('*') ?? 0;
    if (q > bestQ) {
      best = coding;
      bestQ = q;
    }
  }
  return best;
}

/** A streaming compressor for answers made per request: fast settings, each chunk sent as it is ready. */
export function compressor(coding: ContentCoding): zlib.BrotliCompress | zlib.Gzip {
  if (coding === 'gzip') return zlib.createGzip({ level: 5 });
  return zlib.createBrotliCompress({
    params: { [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT, [zlib.constants.BROTLI_PARAM_QUALITY]: 4 },
  });
}

/** `Vary` naming every header either side names, each once (`*` wins). */
export function mergeVary(...values: (string | number | string[] | undefined)[]): string | undefined {
  const names: string[] = [];
  for (const value of values) {
    if (value === undefined) continue;
    for (const name of String(value).split(',')) {
      const trimmed = name.trim();
      if (trimmed === '*') return '*';
      if (trimmed && !names.some((known) => known.toLowerCase() === trimmed.toLowerCase())) names.push(trimmed);
    }
  }
  return names.length > 0 ? names.join(', ') : undefined;
}
