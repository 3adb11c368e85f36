import { z } from 'zod';
import { Role } from '@parley/contracts';
import { serviceUnavailable } from '@parley/platform';

/** What the comments service may know of an account it does not own (auth does). */
export interface KnownUser {
  id: string;
  role: Role;
}

/** Looks accounts up in the auth service; used off the hot path only (a ban, not a read). */
export interface UserDirectory {
  /** The account, or undefined when there is none; throws 503 when auth cannot be asked. */
  find(userId: string): Promise<KnownUser | undefined>;
}

const Answer = z.object({ user: z.object({ id: z.string(), role: Role }) });

/** Asks auth's `/internal/users/:id`, which only processes inside the deployment can reach. */
export function authUserDirectory(authUrl: string, timeoutMs = 3000): UserDirectory {
  return {
    async find(userId) {
      let response: Response;
      try {
        response = await fetch(new URL(`/internal/users/${encodeURIComponent(userId)}`, authUrl), { signal: AbortSignal.timeout(timeoutMs) });
      } catch {
        throw serviceUnavailable('The accounts service cannot be reached to check this user; try again shortly.');
      }
      if (response.status === 404) return undefined;
      if (!response.ok) throw serviceUnavailable('The accounts service could not check this user; try again shortly.');
      return Answer.parse(await response.json()).user;
    },
  };
}
