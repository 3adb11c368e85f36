import { randomUUID } from 'node:crypto';
import { decodeCursor, encodeCursor } from './cursor';

const position = { createdAt: new Date('2026-11-28T10:15:30.123Z'), id: randomUUID(), reactionCount: 7 };

describe('thread cursors', () => {
  it('round-trip the sort key of each ordering', () => {
    for (const kind of ['newest', 'oldest', 'replies'] as const) {
      expect(decodeCursor(kind, encodeCursor(kind, position))).toEqual({ ...position, reactionCount: 0 });
    }
    expect(decodeCursor('top', encodeCursor('top', position))).toEqual(position);
  });

  it('are URL-safe', () => {
    expect(encodeCursor('top', position)).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  it('refuse garbage, forged payloads and cursors of another ordering', () => {
    const forged = (payload: unknown) => Buffer.from(JSON.stringify(payload)).toString('base64url');
    const bad = [
      'not a cursor!',
      'abc',
      Buffer.from('{"k":"newest"').toString('base64url'),
      forged({ k: 'newest', t: 'yesterday', id: position.id }),
      forged({ k: 'newest', t: position.createdAt.toISOString(), id: "1' or '1'='1" }),
      forged({ k: 'top', r: -1, t: position.createdAt.toISOString(), id: position.id }),
      forged({ k: 'newest', t: position.createdAt.toISOString(), id: position.id, extra: 1 }),
      encodeCursor('oldest', position),
    ];
    for (const cursor of bad) {
      expect(() => decodeCursor('newest', cursor)).toThrow(expect.objectContaining({ status: 400, code: 'invalid_cursor' }));
    }
  });
});
