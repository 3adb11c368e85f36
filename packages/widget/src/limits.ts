/**
 * Mirrors of contract constants. The widget imports only types from @parley/contracts (importing a
 * value would bundle zod); limits.test.ts keeps these equal to the contract's values.
 */
export const commentBodyMaxLength = 5000;
