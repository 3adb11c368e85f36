import type { Locator, Page } from 'playwright-core';
import type { DatabaseSource } from '@parley/db';
import { nextCode, rememberAuthenticator } from '../support/authenticators';

/**
 * Signs a staff account in to the console open on `page` (or a locator in it), as a person does:
 * email, password and the code of their authenticator app. An account without an app yet is taken
 * through enrolment by the console: the test reads the shown secret, answers a code computed from
 * it, and gets the recovery codes back. `database`: where the demo staff's one-time codes are made
 * (tests/support/authenticators.ts).
 */
export async function consoleSignIn(
  page: Page,
  email: string,
  password: string,
  options: { enrol?: boolean; database?: DatabaseSource } = {},
): Promise<{ recoveryCodes: string[] }> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  if (!options.enrol) {
    await page.getByLabel('Authenticator code').fill(await nextCode(email, options.database));
    await page.getByRole('button', { name: 'Log in' }).click();
    return { recoveryCodes: [] };
  }
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('heading', { name: 'Set up your authenticator app' }).waitFor();
  rememberAuthenticator(email, (await page.locator('#totp-secret').textContent())!.trim());
  await page.getByLabel('Code from the app').fill(await nextCode(email));
  await page.getByRole('button', { name: 'Confirm' }).click();
  const list: Locator = page.getByRole('list', { name: 'Recovery codes' });
  await list.waitFor();
  const recoveryCodes = (await list.locator('li').allTextContents()).map((text) => text.trim());
  await page.getByRole('button', { name: /I have saved them/ }).click();
  return { recoveryCodes };
}
