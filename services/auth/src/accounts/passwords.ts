import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm, type Options } from '@node-rs/argon2';

/**
 * OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane). The d.ts declares `Algorithm` as a
 * const enum, which isolatedModules builds cannot inline, so the numeric value is spelled out.
 */
const argon2id = 2 as Algorithm;
export const passwordHashOptions: Options = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(passwordHash: string, password: string): Promise<boolean>;
  /**
   * Spends the same time as a real verification, for logins with an unknown email, so response
   * times don't reveal which addresses have accounts.
   */
  verifyAgainstNothing(password: string): Promise<void>;
}

export function createPasswordHasher(): PasswordHasher {
  // Made on first use, per app, with the same parameters as real hashes so the timing matches.
  let decoy: Promise<string> | undefined;
  return {
    hash: (password) => hash(password, passwordHashOptions),
    verify: (passwordHash, password) => verify(passwordHash, password),
    async verifyAgainstNothing(password) {
      decoy ??= hash(randomBytes(32).toString('base64url'), passwordHashOptions);
      await verify(await decoy, password);
    },
  };
}
