import { chromium, type Browser } from 'playwright-core';
import { OFFLINE_CHROMIUM_ARGS, SOFTWARE_WEBGL_ARG } from '../../src/main/chromiumArgs';

/**
 * Debian's chromium, headless, with every background network feature off (architecture.md).
 * Playwright gives each launch a fresh, empty profile of its own (it refuses --user-data-dir).
 * With `webgl`, WebGL runs on SwiftShader, the software renderer. Chromium 150 falls back to it by
 * itself when there is no GPU, but Chrome has announced the end of that automatic fallback; the flag
 * asks for it explicitly.
 */
export function launchChromium(options: { webgl?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [...OFFLINE_CHROMIUM_ARGS, ...(options.webgl ? [SOFTWARE_WEBGL_ARG] : [])],
  });
}
