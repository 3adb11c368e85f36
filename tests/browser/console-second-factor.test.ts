import type { Page } from 'playwright-core';
import { parleyApi } from './api';
import { screenshot } from './browser';
import { consoleSignIn } from './console-sign-in';
import { startBrowserFixture, type BrowserFixture } from './fixture';
import { nextCode, staffAccessToken } from '../support/authenticators';

/**
 * Staff powers need a second factor. A new moderator's first console sign-in sets up an
 * authenticator app (the QR code and the secret, then a code computed from it) and shows the
 * recovery codes once; afterwards the password alone does not open the console, the password and
 * a code do, and a recovery code works in place of a code exactly once. An admin's reset in the
 * console makes the next sign-in enrol again.
 */
jest.setTimeout(120_000);

let f: BrowserFixture;
let api: ReturnType<typeof parleyApi>;
beforeAll(async () => {
  f = await startBrowserFixture();
  api = parleyApi(f.gatewayUrl, f.siteId);
});
afterAll(async () => f?.close());

async function consolePage(): Promise<Page> {
  const page = await (await f.browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(`${f.gatewayUrl}/moderate`);
  return page;
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.getByRole('button', { name: 'Log in' }).waitFor();
}

it('a new moderator enrols in the console, signs in again with a code, and uses a recovery code once', async () => {
  const person = await api.register('Priya Nightdesk');
  const admin = await staffAccessToken(f.gatewayUrl, f.database.source, 'admin@example.com');
  const { user } = (await (await fetch(`${f.gatewayUrl}/auth/users?email=${encodeURIComponent(person.email)}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { user: { id: string } };
  const granted = await fetch(`${f.gatewayUrl}/auth/users/${user.id}/role`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
    body: JSON.stringify({ role: 'moderator', sites: [f.siteId] }),
  });
  expect(granted.status).toBe(200);

  // First sign-in: the console asks for an app, shows its QR code and secret, then the recovery codes.
  const page = await consolePage();
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('img', { name: 'QR code of the authenticator secret' }).waitFor();
  await screenshot(page, 'console-second-factor-enrol');
  await page.goto(`${f.gatewayUrl}/moderate`); // leave it half-done: nothing is enrolled yet
  const { recoveryCodes } = await consoleSignIn(page, person.email, person.password, { enrol: true });
  expect(recoveryCodes).toHaveLength(10);
  await page.getByRole('tab', { name: 'Reported' }).waitFor();
  await signOut(page);

  // The password alone is not enough any more.
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('Enter the code of your authenticator app (or a recovery code) to sign in.').waitFor();
  expect(await page.getByRole('tab', { name: 'Reported' }).count()).toBe(0);

  // With a code of the app it is.
  await page.getByLabel('Authenticator code').fill(await nextCode(person.email));
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('tab', { name: 'Reported' }).waitFor();
  await signOut(page);

  // A recovery code, once.
  const [recovery] = recoveryCodes as [string];
  const withRecovery = async () => {
    await page.getByLabel('Email').fill(person.email);
    await page.getByLabel('Password').fill(person.password);
    await page.getByLabel('Authenticator code').fill(recovery);
    await page.getByRole('button', { name: 'Log in' }).click();
  };
  await withRecovery();
  await page.getByRole('tab', { name: 'Reported' }).waitFor();
  await signOut(page);
  await withRecovery();
  await page.getByText('The code is not correct or was already used', { exact: false }).waitFor();
  expect(await page.getByRole('tab', { name: 'Reported' }).count()).toBe(0);
  await screenshot(page, 'console-second-factor-spent-recovery-code');

  // Phone and recovery codes lost: an admin resets the factor in the console; the next sign-in enrols again.
  const adminPage = await consolePage();
  await consoleSignIn(adminPage, 'admin@example.com', 'parley-demo', { database: f.database.source });
  await adminPage.getByRole('tab', { name: 'Staff' }).click();
  await adminPage.getByLabel('Email').fill(person.email);
  await adminPage.getByRole('button', { name: 'Find' }).click();
  await adminPage.getByRole('button', { name: 'Reset second factor…' }).click();
  await adminPage.getByRole('button', { name: 'Yes, reset it' }).click();
  await adminPage.getByText('Priya Nightdesk\'s second factor is reset').waitFor();
  await page.goto(`${f.gatewayUrl}/moderate`);
  const again = await consoleSignIn(page, person.email, person.password, { enrol: true });
  expect(again.recoveryCodes).not.toContain(recovery);
  await page.getByRole('tab', { name: 'Reported' }).waitFor();
});
