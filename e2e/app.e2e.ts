import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { REPO_ROOT, runCli, startServing, type Served } from './support/cli';

const PAGES = ['Home', 'Cohorts', 'Train', 'Results', 'Brain', 'Report'];

describe('the app in chromium, served locally', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'neurolip-e2e-')), 'e2e.neurolip');
  let served: Served;
  let browser: Browser;
  let page: Page;
  const requested: string[] = [];

  beforeAll(async () => {
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('request', (request) => requested.push(request.url()));
    page.on('websocket', (socket) => requested.push(socket.url()));
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('loads and shows the open project', async () => {
    await expect.poll(() => page.getByTestId('project-path').textContent()).toBe(`Project file: ${project}`);
    expect(await page.getByTestId('count-cohorts').textContent()).toBe('0');
  });

  it('reaches every page from the navigation', async () => {
    const nav = page.getByRole('navigation', { name: 'Pages' });
    for (const title of PAGES) {
      await nav.getByRole('button', { name: title }).click();
      const heading = title === 'Home' ? 'NeuroLIP Studio' : title;
      await expect.poll(() => page.getByRole('heading', { level: 1, name: heading }).count()).toBe(1);
      expect(page.url()).toContain(`#/${title.toLowerCase()}`);
    }
    await nav.getByRole('button', { name: 'Home' }).click();
  });

  it('shows the real TensorFlow.js back end in the About dialog', async () => {
    const info = JSON.parse(runCli(['info', '--project', project, '--json']).stdout) as { backend: { name: string; label: string } };
    await page.getByRole('button', { name: 'About NeuroLIP Studio' }).click();
    const backend = page.getByTestId('about-tensorflow-js-back-end');
    await expect.poll(() => backend.textContent()).toBe(`${info.backend.name}: ${info.backend.label}`);
    expect(await page.getByTestId('about-project').textContent()).toBe(project);
    await page.getByRole('button', { name: 'Close' }).click();
  });

  it('switches between light and dark themes', async () => {
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const before = await background();
    await page.getByRole('button', { name: 'Toggle light and dark theme' }).click();
    await expect.poll(background).not.toBe(before);
    await page.getByRole('button', { name: 'Toggle light and dark theme' }).click();
    await expect.poll(background).toBe(before);
  });

  it('takes the README screenshot', async () => {
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'screenshot.png') });
  });

  it('makes no request to any origin but its own server', () => {
    const own = new URL(served.url).origin.replace(/^http/, '');
    const foreign = requested.filter((url) => !url.replace(/^(http|ws)/, '').startsWith(own) && !url.startsWith('data:'));
    expect(requested.some((url) => url.startsWith('ws:'))).toBe(true);
    expect(requested.length).toBeGreaterThanOrEqual(3);
    expect(foreign).toEqual([]);
  });
});
