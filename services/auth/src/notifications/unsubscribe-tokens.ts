import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a signed unsubscribe link turns off. */
export type UnsubscribeTopic = 'replies' | 'follows' | 'queue';
const topics: readonly UnsubscribeTopic[] = ['replies', 'follows', 'queue'];

/**
 * One-click unsubscribe links (RFC 8058) carry `<user id>.<topic>.<HMAC>`, signed with a key derived
 * from the token signing key: no table, valid as long as that key, and unforgeable for other users.
 */
export function unsubscribeTokens(signingKeyPem: string) {
  const key = createHash('sha256').update('parley unsubscribe\n').update(signingKeyPem).digest();
  const mac = (payload: string) => createHmac('sha256', key).update(payload).digest('base64url');
  return {
    sign: (userId: string, topic: UnsubscribeTopic) => `${userId}.${topic}.${mac(`${userId}.${topic}`)}`,
    verify(token: string): { userId: string; topic: UnsubscribeTopic } | undefined {
      const [userId, topic, signature, ...rest] = token.split('.');
      if (!userId || !topic || !signature || rest.length > 0 || !(topics as readonly string[]).includes(topic)) return undefined;
      const expected = Buffer.from(mac(`${userId}.${topic}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      return { userId, topic: topic as UnsubscribeTopic };
    },
  };
}
export type UnsubscribeTokens = ReturnType<typeof unsubscribeTokens>;
