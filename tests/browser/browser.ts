import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (no browser download: see README). */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

export const artifactsDir = join(__dirname, 'artifacts');

/**
 * Saves screenshots under tests/browser/artifacts as evidence of what a reader saw: the whole
 * page, and the discussion widget on its own.
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const file = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  const widget: Locator = page.locator('parley-comments');
  if ((await widget.count()) > 0) await widget.first().screenshot({ path: join(artifactsDir, `${name}.widget.png`) });
  return file;
}
