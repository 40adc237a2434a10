// Debian's chromium through playwright-core (never a downloaded browser). Under CI=true a missing
// chromium fails the test naming the path; locally the test is skipped with a notice.
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Whether chromium is installed; under CI=true its absence throws. */
export function requireChromium(file: string): boolean {
  if (existsSync(chromiumPath)) return true;
  const message = `${file}: no chromium at ${chromiumPath}; apt-get install -y chromium or set CHROMIUM_PATH`;
  if (process.env.CI === 'true') throw new Error(message);
  console.warn(`${message}. Skipped (under CI=true this fails).`);
  return false;
}

/** Launches headless chromium with the house flags (HELPERS.md, TOOLCHAIN.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
