import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABIDE } from '../src/test-support/sharedData';
import { launchChromium } from './support/chromium';
import { REPO_ROOT, runCli, startServing, type Served } from './support/cli';

describe('importing cohorts in the browser', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'neurolip-e2e-import-')), 'import.neurolip');
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('shows a clear error for a phenotype file that does not exist', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Cohorts' }).click();
    await page.getByTestId('open-import').click();
    await page.getByTestId('phenotype-path').fill('/nonexistent/phenotype.csv');
    await page.getByTestId('data-path').fill(ABIDE.ho);
    await page.getByRole('button', { name: 'Detect layout' }).click();
    await expect.poll(() => page.getByTestId('detect-error').textContent()).toBe('phenotype.csv: cannot be read (ENOENT)');
  });

  it('imports the real ABIDE Harvard-Oxford files through the wizard', async () => {
    await page.getByTestId('phenotype-path').fill(ABIDE.phenotype);
    await page.getByRole('button', { name: 'Detect layout' }).click();
    await expect
      .poll(() => page.getByTestId('detected-layout').textContent())
      .toMatch(/ABIDE, Preprocessed Connectomes Project.*102 data files/);
    await page.getByTestId('cohort-name').fill('ABIDE HO');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Check the files' }).click();
    await expect
      .poll(() => page.getByTestId('qc-headline').textContent(), { timeout: 30_000 })
      .toBe('99 subjects, 110 ROIs (Harvard-Oxford cortical, 96 with coordinates)');
    expect(await page.getByTestId('qc-excluded').textContent()).toContain('FILE_ID = no_filename');
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'import-wizard.png'), fullPage: true });
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByTestId('start-import').click();
    await expect.poll(() => page.getByTestId('cohort-title').textContent(), { timeout: 30_000 }).toBe('ABIDE HO');

    const cli = runCli(['cohorts', '--project', project, '--json']);
    const cohorts = JSON.parse(cli.stdout) as { name: string; subjects: number; rois: number }[];
    expect(cohorts).toEqual([expect.objectContaining({ name: 'ABIDE HO', subjects: 99, rois: 110 })]);
  });

  it('shows the cohort: demographics, subjects, connectivity heatmap', async () => {
    expect(await page.getByTestId('demographics').locator('svg').count()).toBeGreaterThan(2);
    await page.getByRole('tab', { name: 'Subjects' }).click();
    expect(await page.getByTestId('subject-table').locator('tbody tr').count()).toBe(25);
    await page.getByRole('tab', { name: 'Mean connectivity' }).click();
    const painted = await page.getByTestId('connectivity-heatmap').evaluate((canvas: HTMLCanvasElement) => {
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let coloured = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i] !== data[i + 2]) coloured += 1;
      return { width: canvas.width, coloured };
    });
    expect(painted.width).toBe(110);
    expect(painted.coloured).toBeGreaterThan(110 * 110 * 0.5);
  });

  it("offers the cohort's own phenotype columns as sensitive attributes in a searchable list under the derived three", async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Train' }).click();
    await expect.poll(() => page.getByTestId('sensitive-site').isChecked()).toBe(true);
    // ABIDE's many phenotype columns are not ticks of their own.
    expect(await page.getByTestId('sensitive-HANDEDNESS_CATEGORY').count()).toBe(0);
    await page.getByTestId('sensitive-others').fill('HANDED');
    await page.getByRole('option', { name: /^HANDEDNESS_CATEGORY \(\d+ groups\)$/ }).click();
    // A chosen column can then take a prediction offset like the derived ones.
    await expect.poll(() => page.getByTestId('offset-HANDEDNESS_CATEGORY').count()).toBe(1);
    expect(await page.getByTestId('sensitive-sex').isChecked()).toBe(true);
  });

  it('imports the demo cohort from Home with one click, and says it is synthetic', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Home' }).click();
    await page.getByRole('button', { name: 'Try the demo cohort' }).click();
    await expect
      .poll(() => page.getByTestId('cohort-title').textContent(), { timeout: 60_000 })
      .toBe('Demo (synthetic, seed 0, 300 subjects)');
    expect(await page.getByText('Synthetic data', { exact: true }).count()).toBe(1);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'cohort-page.png') });
  });
});
