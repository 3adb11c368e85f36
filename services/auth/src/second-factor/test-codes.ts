import { setTimeout as sleep } from 'node:timers/promises';
import { totpCode, totpStep, totpStepSeconds } from './totp';

/**
 * For tests: codes of an authenticator app with `secret`, each for a time step not used before (the
 * server refuses a step twice). The server accepts one step either side of now; this takes the
 * current step and then the next (never the previous one, which a step boundary passing during the
 * request would make too old), so two logins in a row get a code at once and a third waits for the
 * next step. `clock` defaults to real time; a test clock with `advance` is moved
 * instead of waited for.
 */
export function authenticatorApp(secret: string, clock: (() => Date) & { advance?: (seconds: number) => void } = () => new Date()) {
  let lastStep = -Infinity;
  return {
    secret,
    /** The code of the current step, used or not (for tests of replay). */
    current: () => totpCode(secret, totpStep(clock())),
    async next(): Promise<string> {
      for (;;) {
        const now = totpStep(clock());
        const step = Math.max(now, lastStep + 1);
        if (step <= now + 1) {
          lastStep = step;
          return totpCode(secret, step);
        }
        // A test clock is moved to the next step; real time is waited for.
        if (clock.advance) clock.advance(totpStepSeconds);
        else await sleep(Math.max((now + 1) * totpStepSeconds * 1000 - clock().getTime(), 10));
      }
    },
  };
}
