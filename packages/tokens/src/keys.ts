import { createHash, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';

/** The one signing algorithm Parley issues and accepts. Pinned on both sides. */
export const accessTokenAlgorithm = 'ES256' as const;

export interface PublicJwk extends JsonWebKey {
  kty: string;
  kid: string;
  alg: string;
  use: 'sig';
}

/** A fresh P-256 key pair as PEM (private key in PKCS#8). */
export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The public JWK of a private or public EC key, with its RFC 7638 thumbprint as `kid`. */
export function publicJwk(key: KeyObject): PublicJwk {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const jwk = publicKey.export({ format: 'jwk' });
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') throw new Error('Access tokens need a P-256 (ES256) key.');
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }))
    .digest('base64url');
  return { kty: 'EC', crv: jwk.crv, x: jwk.x, y: jwk.y, kid: thumbprint, alg: accessTokenAlgorithm, use: 'sig' };
}
