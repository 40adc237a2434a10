// Debian's chromium driven by playwright-core (never a downloaded browser); CHROMIUM_PATH overrides.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const chromiumAvailable = existsSync(chromiumPath);
if (!chromiumAvailable) {
  if (process.env.CI === 'true')
    throw new Error(`chromium is missing at ${chromiumPath}; CI needs it (apt-get install -y chromium).`);
  console.warn(`[realtime tests] chromium is missing at ${chromiumPath}: the browser suites are skipped.`);
}

/** Launches chromium headless; playwright gives each launch a fresh temporary profile and removes it. */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}
