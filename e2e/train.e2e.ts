import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Download, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { REPO_ROOT, runCli, startServing, type Served } from './support/cli';
import { openAdvancedPanel } from './support/advancedPanel';

interface ShownRun {
  status: string;
  tags: string[];
  result: {
    subjects: number;
    metrics: { auc: { value: number; ciLow: number; ciHigh: number }; acc: { value: number }; balancedAcc: { value: number } };
    fairness: Record<string, { dEOdds: number; ci: { dEOdds: [number, number] } }>;
  };
}

describe('training and results in the browser', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'neurolip-e2e-train-')), 'train.neurolip');
  const showRun = (id: number): ShownRun => JSON.parse(runCli(['show-run', '--project', project, '--run', String(id)]).stdout) as ShownRun;
  let served: Served;
  let browser: Browser;
  let page: Page;
  /** Main-thread long tasks (ms) seen before the page was reloaded mid-run. */
  let longTasksBeforeReload: number[] = [];
  const longTasksNow = () => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);

  const nav = (name: string) => page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name });
  const legend = (chart: Locator) => chart.locator('.MuiChartsLegend-label').allTextContents();
  const saved = async (click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> => {
    const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
    return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
  };

  beforeAll(async () => {
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
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

  it('imports the demo cohort from the Home page', async () => {
    await page.getByRole('button', { name: 'Try the demo cohort' }).click();
    await expect.poll(() => page.evaluate(() => window.location.hash), { timeout: 90_000 }).toMatch(/^#\/cohorts\?cohort=1$/);
    const cohorts = JSON.parse(runCli(['cohorts', '--project', project, '--json']).stdout) as { name: string; subjects: number }[];
    expect(cohorts).toMatchObject([{ subjects: 300 }]);
  });

  it('queues two variants, shows every loss term live, cancels one, and keeps the curves over a reload', async () => {
    await nav('Train').click();
    await expect
      .poll(() => page.getByTestId('train-backend').textContent())
      .toMatch(/^TensorFlow\.js back end: (wasm|cpu|tensorflow|tensorflow-gpu)$/);
    // One patient group: the target is named, with both groups' sizes.
    await expect
      .poll(() => page.getByTestId('diagnosis-target').textContent())
      .toMatch(/^Target: diagnosis, autism \((\d+)\) against control \((\d+)\)\.$/);
    // The demo cohort's sensitive attributes come from its columns; the three derived ones are ticked.
    await expect.poll(() => page.getByTestId('sensitive-site').isChecked()).toBe(true);
    expect(await page.getByTestId('sensitive-sex').isChecked()).toBe(true);
    // The prediction is offset per sex, site and age group by default; Quick look's single model has no linear member to estimate it on.
    expect(await page.getByTestId('offset-sex').isChecked()).toBe(true);
    expect(await page.getByTestId('offset-site').isChecked()).toBe(true);
    expect(await page.getByTestId('offset-ageGroup').isChecked()).toBe(true);
    expect(await page.getByTestId('offsets-text').textContent()).toBe(
      'Not used with one ensemble member: the fitted linear member is the second.',
    );
    // Sex's group differences are erased from the embedding by default, by neurolip only.
    expect(await page.getByTestId('erase-sex').isChecked()).toBe(true);
    expect(await page.getByTestId('erase-site').isChecked()).toBe(false);
    expect(await page.getByTestId('erasure-text').textContent()).toMatch(/^Used by neurolip: .* neurolip-nofair drops it\.$/);
    await openAdvancedPanel(page);
    // Quick look trains one model; the form says what the default second member would be.
    expect(await page.getByTestId('advanced-ensemble').inputValue()).toBe('1');
    expect(await page.getByTestId('member-settings-text').textContent()).toMatch(
      /^neurolip and neurolip-nofair by default train a mixed ensemble, member 2: connectomeReadout logit, .*\(1: the attention model alone\)\.$/,
    );
    await page.getByTestId('advanced-epochs').fill('4');
    await page.getByTestId('advanced-patience').fill('4');
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
    await expect
      .poll(() => legend(cards.nth(0).getByTestId('chart-run-1-loss-terms')), { timeout: 60_000 })
      .toEqual(['total loss', 'L_dx', 'L_dx_ttca', 'L_ageGroup', 'L_sex', 'L_site', 'L_embedding', 'L_dis']);
    await cards.nth(1).getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => cards.nth(1).textContent(), { timeout: 10_000 }).toContain('Training was cancelled; nothing was kept.');

    // Reload mid-run. Fold 1's first epoch has long ended and is never streamed again, so if its curve
    // still starts at epoch 1 after the reload, it was read back from the project.
    const progress = cards.nth(0).getByRole('progressbar');
    await expect.poll(async () => Number(await progress.getAttribute('aria-valuenow')), { timeout: 120_000 }).toBeGreaterThanOrEqual(60);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'train-page.png') });
    longTasksBeforeReload = await longTasksNow();
    await page.reload();
    const card = page.getByTestId('live-run');
    await expect.poll(() => card.count(), { timeout: 10_000 }).toBe(1);
    const auc = card.getByTestId('chart-run-1-validation-auc');
    await expect.poll(() => legend(auc), { timeout: 10_000 }).toContain('fold 1');
    const epochOneX = (await auc.locator('.MuiChartsAxis-directionX .MuiChartsAxis-tickContainer').first().getAttribute('transform'))!;
    const foldOnePath = (await auc.locator('path.MuiLineChart-line').first().getAttribute('d'))!;
    expect(Number(foldOnePath.match(/^M([\d.]+)/)![1])).toBeCloseTo(Number(epochOneX.match(/translate\(([\d.]+)/)![1]), 1);
    await expect.poll(() => card.getByTestId('run-finished').count(), { timeout: 180_000 }).toBe(1);
  }, 300_000);

  it('trains a second variant to compare against', async () => {
    // The reload reset the form to its defaults.
    for (const variant of ['NeuroLIP', 'NeuroLIP without fairness terms', 'CLIP, global brain embedding'])
      await page.getByRole('checkbox', { name: variant, exact: true }).click();
    await openAdvancedPanel(page);
    await page.getByTestId('advanced-epochs').fill('4');
    // Patience 1, but early stopping off: every fold trains its 4 epochs and keeps the last.
    await page.getByTestId('advanced-patience').fill('1');
    await page.getByTestId('advanced-earlyStopping').click();
    await page.getByRole('option', { name: 'off: every epoch, last weights kept' }).click();
    await page.getByTestId('advanced-regionNorm').click();
    await page.getByRole('option', { name: /^site-harmonised/ }).click();
    await page.getByTestId('advanced-d').fill('8');
    await page.getByTestId('advanced-heads').fill('2');
    expect(await page.getByTestId('member-settings-text').count()).toBe(0);
    expect(await page.getByTestId('linear-member-text').textContent()).toBe(
      'Not used by these variants: only neurolip and neurolip-nofair train a linear member.',
    );
    // Repeats multiply the runs, one per seed; back to one run here.
    await page.getByTestId('train-repeats').fill('3');
    await expect.poll(() => page.getByTestId('start-training').textContent()).toBe('Start 3 runs');
    expect(await page.getByText('seeds 0 to 2, each its own run').count()).toBe(1);
    await page.getByTestId('train-repeats').fill('1');
    await expect.poll(() => page.getByTestId('start-training').textContent()).toBe('Start the run');
    // Motion adjustment reads a readout fitted first, which CLIP-global has not: refused, nothing queued.
    await page.getByTestId('advanced-motionAdjustment').click();
    await page.getByRole('option', { name: /^taken away/ }).click();
    await page.getByTestId('start-training').click();
    await expect
      .poll(() => page.getByTestId('train-error').textContent())
      .toContain('motionAdjustment: motion adjustment estimates its slope on the cross-fitted scores of a readout fitted first');
    await page.getByTestId('advanced-motionAdjustment').click();
    await page.getByRole('option', { name: 'left in' }).click();
    await page.getByTestId('start-training').click();
    await expect.poll(() => page.getByTestId('live-run').first().textContent()).toContain('Training clip-global');
    await expect.poll(() => page.getByTestId('live-run').first().getByTestId('run-finished').count(), { timeout: 180_000 }).toBe(1);
    // The cancelled run kept nothing, so this run took the next id.
    const clip = JSON.parse(runCli(['show-run', '--project', project, '--run', '2']).stdout) as {
      variant: string;
      result: { config: { earlyStopping: boolean; regionNorm: string }; folds: { bestEpoch: number }[] };
    };
    expect(clip.variant).toBe('clip-global');
    expect(clip.result.config.earlyStopping).toBe(false);
    expect(clip.result.config.regionNorm).toBe('siteMatched');
    expect(clip.result.folds.map((fold) => fold.bestEpoch)).toEqual([3, 3, 3, 3, 3]);
  });

  it('shows the finished run with the numbers the API stores, its stored curves and fairness', async () => {
    await nav('Results').click();
    await page.getByTestId('runs-list').getByText('1. neurolip').click();
    await expect.poll(() => page.getByTestId('metric-auc').count(), { timeout: 30_000 }).toBe(1);
    const shown = showRun(1);
    expect(shown.status).toBe('done');
    expect(await page.getByTestId('metric-auc').textContent()).toBe(shown.result.metrics.auc.value.toFixed(3));
    expect(await page.getByTestId('metric-acc').textContent()).toBe(shown.result.metrics.acc.value.toFixed(3));
    expect(await page.getByTestId('fairness-sex').locator('tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('confusion-matrix').locator('tbody td').allTextContents()).toHaveLength(6);
    const cells = (await page.getByTestId('confusion-matrix').locator('tbody td').allTextContents())
      .filter((t) => /^\d+$/.test(t))
      .map(Number);
    expect(cells.reduce((a, b) => a + b, 0)).toBe(300);
    expect(await page.locator('[data-testid="roc-chart"] path').count()).toBeGreaterThan(0);
    await expect
      .poll(() => legend(page.getByTestId('chart-run-1-validation-auc')))
      .toEqual(['fold 1', 'fold 2', 'fold 3', 'fold 4', 'fold 5']);
    await expect
      .poll(() => page.getByTestId('dashboard-gap').textContent())
      .toContain(`Equalized odds difference by sex: ${shown.result.fairness.sex!.dEOdds.toFixed(3)} (95 % CI`);
    // The confound checks: motion, age and scan length within the controls and the patients, all 300 subjects.
    const confounds = page.getByTestId('confound-table').locator('tbody tr');
    await expect.poll(() => confounds.count()).toBe(3);
    const motion = await confounds.first().locator('td').allTextContents();
    expect(motion[0]).toBe('Head motion (mean framewise displacement, mm)');
    const counted = [motion[1]!, motion[3]!].map((cell) => Number(/^\d\.\d{3} \((\d+)\)$/.exec(cell)![1]));
    expect(counted[0]! + counted[1]!).toBe(300);
    for (const cell of [motion[2]!, motion[4]!])
      expect(cell).toMatch(/^-?\d\.\d{3} \(p (< 0\.001|\d\.\d{3}), Holm (< 0\.001|\d\.\d{3})\)$/);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'results-page.png'), fullPage: true });
  });

  it('exports charts as SVG and PNG', async () => {
    const svg = await saved(() => page.getByTestId('export-run-1-roc-svg').click());
    expect(svg.name).toBe('run-1-roc.svg');
    const text = svg.bytes.toString('utf8');
    expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(text).toContain('ROC curve (pooled out-of-fold predictions)');
    expect(text).toContain('false-positive rate');
    const [, width, height] = text.match(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="(\d+)" height="(\d+)"/m)!.map(Number);

    const png = await saved(() => page.getByTestId('export-run-1-roc-png').click());
    expect(png.name).toBe('run-1-roc.png');
    expect(png.bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, drawn at twice the SVG's size.
    expect([png.bytes.readUInt32BE(16), png.bytes.readUInt32BE(20)]).toEqual([2 * width!, 2 * height!]);

    const bars = await saved(() => page.getByTestId('export-run-1-sex-tpr-svg').click());
    expect(bars.name).toBe('run-1-sex-tpr.svg');
    expect(bars.bytes.toString('utf8').match(/class="MuiBarChart-element"/g)).toHaveLength(2);
  });

  it('exports the metrics, fairness gaps and predictions as CSV, tags and renames the run, and filters the list by tag', async () => {
    expect(await page.getByTestId('run-config').textContent()).toContain('epochs 4');
    const csv = await saved(() => page.getByTestId('export-metrics').click());
    expect(csv.name).toBe('run-1-metrics.csv');
    const lines = csv.bytes.toString('utf8').trim().split(/\r\n/);
    const shown = showRun(1);
    expect(lines[0]).toBe('metric,value,ci_low,ci_high,fold_mean,fold_sd');
    const auc = lines.find((line) => line.startsWith('auc,'))!.split(',');
    expect(Number(auc[1])).toBe(shown.result.metrics.auc.value);
    expect(Number(auc[2])).toBe(shown.result.metrics.auc.ciLow);
    const gaps = await saved(() => page.getByTestId('export-fairness-gaps').click());
    expect(gaps.name).toBe('run-1-fairness-gaps.csv');
    const gapLines = gaps.bytes.toString('utf8').trim().split(/\r\n/);
    expect(gapLines[0]).toBe('attribute,gap,value,ci_low,ci_high');
    const sexOdds = gapLines.find((line) => line.startsWith('sex,dEOdds,'))!.split(',');
    expect(Number(sexOdds[2])).toBe(shown.result.fairness.sex!.dEOdds);
    expect(Number(sexOdds[3])).toBe(shown.result.fairness.sex!.ci.dEOdds[0]);
    const predictions = await saved(() => page.getByTestId('export-predictions').click());
    expect(predictions.name).toBe('run-1-predictions.csv');
    const [header, ...subjects] = predictions.bytes
      .toString('utf8')
      .trim()
      .split(/\r\n/)
      .map((line) => line.split(','));
    expect(header).toEqual(['subject', 'fold', 'diagnosis', 'patient', 'patient_probability', 'predicted', 'sex', 'ageGroup', 'site']);
    expect(subjects).toHaveLength(shown.result.subjects);
    // Its predicted labels give the run's accuracy.
    const correct = subjects.filter((row) => row[5] === row[2]).length;
    expect(correct / subjects.length).toBeCloseTo(shown.result.metrics.acc.value, 12);

    await page.getByTestId('add-tag').fill('fair terms on');
    await page.getByTestId('add-tag').press('Enter');
    await expect.poll(() => page.getByTestId('run-tags').textContent()).toContain('fair terms on');
    expect(showRun(1).tags).toEqual(['fair terms on']);
    const list = page.getByTestId('runs-list');
    await expect.poll(() => list.locator('[role="button"]').count()).toBe(2);
    await page.getByTestId('tag-filter').getByText('fair terms on').click();
    await expect.poll(() => list.locator('[role="button"]').allTextContents()).toEqual([expect.stringMatching(/^1\. neurolip /)]);
    await page.getByTestId('tag-filter').getByText('fair terms on').click();
    await expect.poll(() => list.locator('[role="button"]').count()).toBe(2);

    await page.getByRole('button', { name: 'Rename' }).click();
    await page.getByRole('dialog').getByLabel('Name').fill('Quick look on the demo');
    await page.getByRole('dialog').getByRole('button', { name: 'Rename' }).click();
    await expect.poll(() => list.textContent()).toContain('1. Quick look on the demo');
  });

  it('compares the two finished runs with the numbers the API stores', async () => {
    const compare = page.getByTestId('compare-runs');
    await compare.getByRole('checkbox', { name: '1. Quick look on the demo' }).click();
    await compare.getByRole('checkbox', { name: /^2\. / }).click();
    const rows = page.getByTestId('comparison-table').locator('tbody tr');
    await expect.poll(() => rows.count(), { timeout: 30_000 }).toBe(2);
    const header = await page.getByTestId('comparison-table').locator('thead th').allTextContents();
    const column = (name: string) => header.indexOf(name);
    for (const [k, id] of [1, 2].entries()) {
      const cells = await rows.nth(k).locator('td').allTextContents();
      const run = showRun(id).result;
      expect(cells[column('AUC')]).toBe(run.metrics.auc.value.toFixed(3));
      expect(cells[column('Balanced ACC')]).toBe(run.metrics.balancedAcc.value.toFixed(3));
      expect(cells[column('dEOdds sex')]).toBe(run.fairness.sex!.dEOdds.toFixed(3));
    }
    expect(await page.getByTestId('compare-runs').textContent()).toContain('Same subjects in the same folds: differences are paired');
    const runs = JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { status: string }[];
    // The cancelled variant never left the queue, so it left no run behind.
    expect(runs.map((r) => r.status)).toEqual(['done', 'done']);
  });

  it('keeps the page responsive while training (main-thread long tasks)', async () => {
    const longTasks = [...longTasksBeforeReload, ...(await longTasksNow())];
    const longest = Math.max(0, ...longTasks);
    console.log(`main-thread long tasks during the session (both page loads): ${longTasks.length}, longest ${longest.toFixed(0)} ms`);
    expect(longest).toBeLessThan(1000);
  });
});
