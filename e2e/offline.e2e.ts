import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { startServing, type Served } from './support/cli';
import { openAdvancedPanel } from './support/advancedPanel';

/** Only the app's own server on 127.0.0.1 may be reached; data: and blob: URLs never leave the page. */
const local = (url: string): boolean => /^(https?|wss?):\/\/127\.0\.0\.1:\d+\//.test(url) || /^(data|blob):/.test(url);

describe('a whole demo session in the browser, offline', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'neurolip-e2e-offline-')), 'offline.neurolip');
  let served: Served;
  let browser: Browser;
  const seen: string[] = [];
  const refused: string[] = [];

  beforeAll(async () => {
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('makes no request beyond 127.0.0.1 while it creates the demo cohort, trains on it and shows the results', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    // Every request of every page and worker passes through here; anything not local is cut off.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      seen.push(url);
      if (local(url)) await route.continue();
      else {
        refused.push(url);
        await route.abort('blockedbyclient');
      }
    });
    context.on('request', (request) => {
      if (!local(request.url())) refused.push(request.url());
    });
    const page = await context.newPage();
    page.on('websocket', (socket) => {
      seen.push(socket.url());
      if (!local(socket.url())) refused.push(socket.url());
    });
    await page.goto(served.url);

    await page.getByRole('button', { name: 'Try the demo cohort' }).click();
    await expect.poll(() => page.url(), { timeout: 90_000 }).toMatch(/#\/cohorts\?cohort=1$/);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Train' }).click();
    await page.getByRole('checkbox', { name: 'NeuroLIP without fairness terms' }).uncheck();
    await openAdvancedPanel(page);
    for (const [field, value] of [
      ['epochs', '1'],
      ['patience', '1'],
      ['d', '8'],
      ['heads', '2'],
    ] as const)
      await page.getByTestId(`advanced-${field}`).fill(value);
    await page.getByTestId('start-training').click();
    await expect.poll(() => page.getByTestId('run-finished').count(), { timeout: 240_000 }).toBe(1);

    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Results' }).click();
    await expect.poll(() => page.getByTestId('metric-auc').count(), { timeout: 30_000 }).toBe(1);
    await context.close();

    console.log(`requests during the session: ${seen.length}, beyond 127.0.0.1: ${refused.length}`);
    expect(seen.some((url) => url.startsWith('ws://127.0.0.1'))).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(refused).toEqual([]);
  });
});
