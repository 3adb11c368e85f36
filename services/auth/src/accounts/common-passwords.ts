import { dictionary } from '@zxcvbn-ts/language-common';

/**
 * The ~49,000 most common passwords from breach corpora (zxcvbn-ts' maintained list). Checked on
 * the server only: the widget never ships the list. Compared lower-cased, so "Password1234"
 * counts as "password1234".
 */
let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set(dictionary['passwords-common'] as string[]);
  return common.has(password.toLowerCase());
}
