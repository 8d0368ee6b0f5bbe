import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { REPO_ROOT, runCli, startServing, type Served } from './support/cli';

describe('training and results in the browser', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'neurolip-e2e-train-')), 'train.neurolip');
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    expect(runCli(['demo', '--project', project, '--subjects', '60', '--json']).code).toBe(0);
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.addInitScript(() => {
      const w = window as unknown as { longTasks: number[] };
      w.longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((entry) => w.longTasks.push(entry.duration))).observe({
        type: 'longtask',
        buffered: true,
      });
    });
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('queues two variants, shows live progress and curves, cancels one and finishes the other', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Train' }).click();
    await expect
      .poll(() => page.getByTestId('train-backend').textContent())
      .toMatch(/^TensorFlow\.js back end: (wasm|cpu|tensorflow|tensorflow-gpu)$/);
    await page.getByText('Advanced').click();
    await page.getByTestId('advanced-epochs').fill('12');
    await page.getByTestId('advanced-patience').fill('12');
    await page.getByTestId('advanced-d').fill('8');
    await page.getByTestId('advanced-heads').fill('2');
    await page.getByTestId('start-training').click();
    const cards = page.getByTestId('live-run');
    await expect.poll(() => cards.count()).toBe(2);
    // The first card is the first variant, training; the second waits behind it in the queue.
    await expect.poll(() => cards.nth(1).getByTestId('job-message').textContent()).toMatch(/^Queued behind 1 run/);
    await expect
      .poll(() => cards.nth(0).getByTestId('job-message').textContent(), { timeout: 60_000 })
      .toMatch(/Fold \d of 5, epoch \d+: loss \d+\.\d{4}, validation AUC/);
    await expect.poll(() => cards.nth(0).getByTestId('training-curves').count(), { timeout: 60_000 }).toBe(1);
    await cards.nth(1).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => cards.nth(1).textContent(), { timeout: 10_000 }).toContain('Training was cancelled; nothing was kept.');
    await expect.poll(() => cards.nth(0).getByTestId('run-finished').count(), { timeout: 180_000 }).toBe(1);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'train-page.png') });
  });

  it('shows the finished run with the numbers the API stores', async () => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Results' }).click();
    await expect.poll(() => page.getByTestId('metric-auc').count(), { timeout: 30_000 }).toBe(1);
    const shown = JSON.parse(runCli(['show-run', '--project', project, '--run', '1']).stdout) as {
      status: string;
      result: { metrics: { auc: { value: number }; acc: { value: number } }; fairness: Record<string, unknown> };
    };
    expect(shown.status).toBe('done');
    expect(await page.getByTestId('metric-auc').textContent()).toBe(shown.result.metrics.auc.value.toFixed(3));
    expect(await page.getByTestId('metric-acc').textContent()).toBe(shown.result.metrics.acc.value.toFixed(3));
    expect(await page.getByTestId('fairness-sex').locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('confusion-matrix').locator('tbody td').allTextContents()).toHaveLength(6);
    const cells = (await page.getByTestId('confusion-matrix').locator('tbody td').allTextContents())
      .filter((t) => /^\d+$/.test(t))
      .map(Number);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(60);
    expect(await page.locator('[data-testid="roc-chart"] path').count()).toBeGreaterThan(0);
    const gap = shown.result.fairness as Record<string, { dEOdds: number }>;
    await expect
      .poll(() => page.getByTestId('dashboard-gap').textContent())
      .toContain(`Equalized odds difference by sex: ${gap.sex!.dEOdds.toFixed(3)} (95 % CI`);
    const runs = JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { status: string }[];
    expect(runs.map((r) => r.status)).toEqual(['done']);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'results-page.png'), fullPage: true });
  });

  it('shows the configuration, exports the metrics as CSV, and renames the run', async () => {
    expect(await page.getByTestId('run-config').textContent()).toContain('epochs 12');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-metrics').click()]);
    expect(download.suggestedFilename()).toBe('run-1-metrics.csv');
    const csv = readFileSync((await download.path())!, 'utf8')
      .trim()
      .split(/\r\n/);
    const shown = JSON.parse(runCli(['show-run', '--project', project, '--run', '1']).stdout) as {
      result: { metrics: { auc: { value: number; ciLow: number; ciHigh: number } } };
    };
    expect(csv[0]).toBe('metric,value,ci_low,ci_high,fold_mean,fold_sd');
    const auc = csv.find((line) => line.startsWith('auc,'))!.split(',');
    expect(Number(auc[1])).toBe(shown.result.metrics.auc.value);
    expect(Number(auc[2])).toBe(shown.result.metrics.auc.ciLow);
    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Quick look on the demo');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => page.getByTestId('runs-list').textContent()).toContain('1. Quick look on the demo');
  });

  it('keeps the page responsive while training (main-thread long tasks)', async () => {
    const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
    const longest = Math.max(0, ...longTasks);
    console.log(`main-thread long tasks during the session: ${longTasks.length}, longest ${longest.toFixed(0)} ms`);
    expect(longest).toBeLessThan(1000);
  });
});
