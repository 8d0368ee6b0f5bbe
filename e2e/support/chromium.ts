import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's chromium, headless, with every background network feature off (architecture.md).
 * Playwright gives each launch a fresh, empty profile of its own (it refuses --user-data-dir).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
