import type { Readable, Writable } from 'node:stream';

/** `copyUpTo` refused the body: more than `limit` bytes. */
export class UploadTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`more than ${limit} bytes`);
  }
}

/** `copyUpTo` lost the body before its end (the client went away). */
export class UploadCutOff extends Error {}

/**
 * Copies an upload (a request body) to `out` — the console's export file to its temporary file —
 * a chunk at a time: when `out` says it is full (`write()` false) the body is paused until it
 * drains, so what is held is the two streams' buffers, never the file, however slow the disk.
 * Past `limit` bytes it stops writing and lets the rest of the body run out unread, so the client
 * hears the refusal instead of a cut connection. Resolves with the bytes written, once `out` has
 * them all.
 */
export function copyUpTo(body: Readable, out: Writable, limit: number): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    let settled = false;
    const settle = (error?: Error) => {
      if (settled) return;
      settled = true;
      body.off('data', onData);
      body.off('end', onEnd);
      if (error) {
        out.destroy();
        body.resume();
        reject(error);
      } else resolve(bytes);
    };
    const onData = (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes > limit) return settle(new UploadTooLarge(limit));
      if (!out.write(chunk)) {
        body.pause();
        out.once('drain', () => body.resume());
      }
    };
    const onEnd = () => out.end(() => settle());
    out.on('error', settle);
    body.on('data', onData);
    body.on('end', onEnd);
    body.on('error', settle);
    body.on('close', () => {
      if (!body.readableEnded) settle(new UploadCutOff('the upload was cut off before the whole file arrived'));
    });
  });
}
