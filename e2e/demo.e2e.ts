import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { REPO_ROOT, runCli, startServing, type Served } from './support/cli';

interface Recovery {
  plantedRois: number;
  chance: number;
  precisionAtK: Record<string, number>;
}

describe('the one-click demo, run reports and presentation mode', () => {
  const folder = mkdtempSync(join(tmpdir(), 'neurolip-e2e-demo-'));
  const project = join(folder, 'demo.neurolip');
  let served: Served;
  let browser: Browser;
  let page: Page;

  const nav = () => page.getByRole('navigation', { name: 'Pages' });
  const hash = () => page.evaluate(() => window.location.hash);
  /** Every subject identifier of the demo cohort, read straight from the project file. */
  const subjectIds = (): string[] => {
    const db = new Database(project, { readonly: true, fileMustExist: true });
    try {
      return (db.prepare('SELECT external_id AS id FROM subjects').all() as { id: string }[]).map((row) => row.id);
    } finally {
      db.close();
    }
  };
  const saved = async (click: () => Promise<void>): Promise<{ name: string; text: string }> => {
    const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
    return { name: download.suggestedFilename(), text: readFileSync((await download.path())!, 'utf8') };
  };

  beforeAll(async () => {
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium({ webgl: true });
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 }, acceptDownloads: true });
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('runs the demo from Home in under 3 minutes, says the data are synthetic, shows the recovery, then the brain view', async () => {
    const started = Date.now();
    await page.getByRole('button', { name: 'Run the demo' }).click();
    const message = () => page.getByTestId('run-demo').getByTestId('job-message').textContent();
    await expect.poll(message, { timeout: 30_000 }).toMatch(/^Training neurolip-nofair \(1 of 2\)/);
    // The demo is one job on the server: after a reload, Home finds it and follows it again.
    await page.reload();
    await expect.poll(message, { timeout: 10_000 }).toMatch(/^Training neurolip/);
    await expect.poll(hash, { timeout: 240_000, interval: 500 }).toBe('#/results?demo=1');
    await expect.poll(() => page.getByTestId('demo-recovery').locator('tbody tr').count(), { timeout: 20_000 }).toBe(2);
    const seconds = (Date.now() - started) / 1000;
    console.log(`one-click demo: ${seconds.toFixed(1)} s from the click to the Results page with the recovery table`);
    expect(seconds).toBeLessThan(180);

    const banner = page.getByTestId('demo-banner');
    expect(await banner.textContent()).toContain('Demo: these data are synthetic');
    expect(await banner.getByTestId('demo-verdict').textContent()).toMatch(
      /^Best recovery: neurolip(-nofair)?, \d+ of 12 planted regions among the top 12 of its /,
    );
    // The recovery the banner shows is what each run stored.
    const runs = JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { id: number; variant: string; status: string }[];
    expect(runs.map((r) => [r.variant, r.status])).toEqual([
      ['neurolip-nofair', 'done'],
      ['neurolip', 'done'],
    ]);
    const rows = await page.getByTestId('demo-recovery').locator('tbody tr').allTextContents();
    for (const [i, run] of runs.entries()) {
      const recovery = (
        JSON.parse(runCli(['show-run', '--project', project, '--run', String(run.id)]).stdout) as { result: { recovery: Recovery } }
      ).result.recovery;
      expect(recovery.plantedRois).toBe(12);
      expect(rows[i]).toContain(`${run.id}. ${run.variant}`);
      expect(rows[i]).toContain(recovery.precisionAtK.absoluteContrast!.toFixed(2));
      console.log(
        `${run.variant}: precision@12 of |patient - control| ${recovery.precisionAtK.absoluteContrast!.toFixed(2)} (chance ${recovery.chance.toFixed(2)})`,
      );
    }
    // The Results page shows the last run, NeuroLIP.
    await expect
      .poll(() => page.getByTestId('runs-list').locator('.Mui-selected').textContent())
      .toContain(`${runs[1]!.id}. Demo: neurolip`);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'demo-results.png') });

    await banner.getByRole('button', { name: 'Next: the brain view' }).click();
    await expect.poll(hash).toBe('#/brain?demo=1');
    await expect.poll(() => page.getByTestId('demo-banner').count()).toBe(1);
    await expect.poll(() => page.locator('canvas').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(2000);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'demo-brain.png') });
  }, 300_000);

  it('presentation mode hides the navigation and enlarges the page, from the app bar and with Ctrl+Shift+P', async () => {
    const heading = page.getByRole('heading', { level: 1 });
    const normal = (await heading.boundingBox())!.height;
    expect(await nav().count()).toBe(1);
    await page.getByRole('button', { name: 'Presentation mode' }).click();
    await expect.poll(() => nav().count()).toBe(0);
    expect(await page.locator('main').getAttribute('data-presenting')).toBe('true');
    const large = (await heading.boundingBox())!.height;
    expect(large / normal).toBeCloseTo(1.3, 1);
    await page.screenshot({ path: join(REPO_ROOT, 'docs', 'presentation-mode.png') });
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(() => nav().count()).toBe(1);
    expect(await page.locator('main').getAttribute('data-presenting')).toBe('false');
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(() => nav().count()).toBe(0);
    await page.keyboard.press('Control+Shift+P');
    await expect.poll(() => nav().count()).toBe(1);
  });

  it('exports the run report from the run detail: self-contained HTML that opens offline, subject IDs only when ticked', async () => {
    await nav().getByRole('button', { name: 'Results' }).click();
    const ids = subjectIds();
    expect(ids).toHaveLength(300);
    const plain = await saved(() => page.getByTestId('export-report-html').click());
    expect(plain.name).toMatch(/^neurolip-run-\d+-report\.html$/);
    for (const heading of [
      'Cohort and quality control',
      'Configuration and software',
      'Metrics',
      'Fairness: sex',
      'Fairness: site',
      'Attention maps',
    ])
      expect(plain.text).toContain(heading);
    expect(plain.text).toMatch(/Sex leakage probe AUC \(linear probe on the embedding\): 0\.\d{3} ± 0\.\d{3}\. Site leakage probe AUC/);
    // The demo's runs were trained by this build: its source fingerprint in both columns, and no caveat in the methods.
    expect(plain.text).toMatch(/<tr><td>Source fingerprint<\/td><td>([0-9a-f]{12})<\/td><td>\1<\/td><\/tr>/);
    expect(plain.text).not.toContain('trained by another build');
    expect(ids.filter((id) => plain.text.includes(id))).toEqual([]);

    // Opened from disk in a fresh, offline context, it asks for nothing but itself and draws its figures.
    const file = join(folder, plain.name);
    writeFileSync(file, plain.text);
    const context = await browser.newContext({ offline: true, javaScriptEnabled: false });
    const requests: string[] = [];
    context.on('request', (request) => requests.push(request.url()));
    const reader = await context.newPage();
    await reader.goto(pathToFileURL(file).href);
    expect(requests).toEqual([pathToFileURL(file).href]);
    expect(await reader.locator('svg').count()).toBeGreaterThanOrEqual(6);
    expect(await reader.locator('#methods').textContent()).toMatch(/^We analysed 300 subjects of the synthetic cohort/);
    // The three 3D views the browser rendered with the Brain page's scene travel inside the file as PNG data URIs.
    const figures = reader.locator('img.figure');
    expect(await figures.count()).toBe(3);
    for (const src of await figures.evaluateAll((images) => images.map((image) => (image as HTMLImageElement).src)))
      expect(src).toMatch(/^data:image\/png;base64,/);
    await figures.first().scrollIntoViewIfNeeded();
    await reader.screenshot({ path: join(REPO_ROOT, 'docs', 'report-brain-figures.png') });
    await context.close();

    await page.getByTestId('export-report').getByLabel('Include subject IDs').check();
    const withIds = await saved(() => page.getByTestId('export-report-html').click());
    expect(ids.filter((id) => withIds.text.includes(id))).toEqual(ids);
  });

  it('exports a comparison of the two demo runs from the Report page', async () => {
    await nav().getByRole('button', { name: 'Report' }).click();
    const buttons = page.getByTestId('export-comparison');
    await expect.poll(() => buttons.textContent()).toContain('Tick two or more runs to compare them.');
    for (const card of await page.locator('[data-testid^="report-run-"]').all()) await card.getByLabel('Compare').check();
    const file = await saved(() => page.getByTestId('export-comparison-html').click());
    expect(file.name).toBe('neurolip-runs-1-2-comparison.html');
    expect(file.text).toContain('Comparison of 2 runs');
    expect(file.text).toContain('site probe AUC (one against the rest)');
    // Overview, fairness, confounds, configuration, methods.
    expect(file.text.split('<section class="page"').length - 1).toBe(5);
    expect(subjectIds().filter((id) => file.text.includes(id))).toEqual([]);
  });

  it('exports HTML and PDF from the CLI: the PDF has one page per section, rendered to PNG; subject IDs only with --include-subject-ids', () => {
    const runId = String(
      (JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { id: number; variant: string }[]).find(
        (run) => run.variant === 'neurolip',
      )!.id,
    );
    const ids = subjectIds();
    const exported = (format: 'html' | 'pdf', extra: string[] = []): string => {
      const out = join(folder, `cli-${format}${extra.length ? '-ids' : ''}.${format}`);
      const result = runCli(['export', '--project', project, '--run', runId, '--format', format, '--out', out, ...extra]);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`Wrote the ${format.toUpperCase()} report of run ${runId} to ${out}`);
      return out;
    };
    const html = readFileSync(exported('html'), 'utf8');
    expect(html).toContain('<h2>Confounds</h2>');
    expect(html).toContain('Head motion (mean framewise displacement, mm)');
    const sections = html.split('<section class="page"').length - 1;
    const pdf = exported('pdf');
    const pages = Number(/^Pages:\s+(\d+)$/m.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))![1]);
    console.log(`report: ${sections} sections, ${pages} PDF pages`);
    expect(pages).toBe(sections);
    const pngs = join(folder, 'pages');
    mkdirSync(pngs);
    execFileSync('pdftoppm', ['-png', '-r', '60', pdf, join(pngs, 'page')]);
    expect(readdirSync(pngs).filter((name) => name.endsWith('.png'))).toHaveLength(pages);
    copyFileSync(join(pngs, readdirSync(pngs).sort()[0]!), join(REPO_ROOT, 'docs', 'report-first-page.png'));
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(text).toContain('Cohort and quality control');
    expect(ids.filter((id) => text.includes(id) || html.includes(id))).toEqual([]);

    const pdfWithIds = execFileSync('pdftotext', [exported('pdf', ['--include-subject-ids']), '-'], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(ids.filter((id) => pdfWithIds.includes(id))).toEqual(ids);

    // Both runs side by side: five sections (overview, fairness, confounds, configuration, methods), each from a new page, no subject identifiers; and the refusal of --include-subject-ids for it.
    const runIds = (JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { id: number }[]).map((run) => run.id);
    const comparison = join(folder, 'comparison.pdf');
    const compared = runCli(['export', '--project', project, '--run', runIds.join(','), '--format', 'pdf', '--out', comparison]);
    expect(compared.stdout).toContain(`Wrote the PDF comparison of runs ${runIds.join(', ')} to ${comparison}`);
    const comparisonText = execFileSync('pdftotext', [comparison, '-'], { encoding: 'utf8' });
    // pdftotext ends each page with a form feed: the sections' titles open five of the pages, in order.
    const pageTops = comparisonText.split('\f').map((page) => page.trimStart().split('\n')[0]);
    const sectionTops = ['Comparison of 2 runs', 'Fairness gaps', 'Confounds', 'Configuration and software', 'Methods'].map((title) =>
      pageTops.findIndex((top) => top!.startsWith(title)),
    );
    expect(sectionTops[0]).toBe(0);
    expect(sectionTops.every((page, k) => k === 0 || page > sectionTops[k - 1]!)).toBe(true);
    expect(comparisonText).toContain('Comparison of 2 runs');
    expect(comparisonText).toContain('Paired AUC differences');
    expect(ids.filter((id) => comparisonText.includes(id))).toEqual([]);
    const refused = runCli([
      'export',
      '--project',
      project,
      '--run',
      runIds.join(','),
      '--format',
      'html',
      '--out',
      join(folder, 'c.html'),
      '--include-subject-ids',
    ]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('A comparison of runs never lists subjects');

    const missing = runCli(['export', '--project', project, '--run', '999', '--format', 'html', '--out', join(folder, 'x.html')]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('There is no run 999 in this project.');
  }, 120_000);

  it('exports one run’s predictions as CSV from the CLI, a line per subject with its identifier', () => {
    const runIds = (JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { id: number }[]).map((run) => run.id);
    const out = join(folder, 'predictions.csv');
    const exported = runCli(['export', '--project', project, '--run', String(runIds[0]), '--format', 'csv', '--out', out]);
    expect(exported.code, exported.stderr).toBe(0);
    const ids = subjectIds();
    expect(exported.stdout).toBe(`Wrote the predictions of run ${runIds[0]} to ${out} (${ids.length} subjects, with their identifiers).\n`);
    const [header, ...rows] = readFileSync(out, 'utf8')
      .trim()
      .split('\r\n')
      .map((line) => line.split(','));
    expect(header).toEqual(['subject', 'fold', 'diagnosis', 'patient', 'patient_probability', 'predicted', 'sex', 'ageGroup', 'site']);
    expect(rows.map((row) => row[0]).sort()).toEqual([...ids].sort());

    const two = runCli(['export', '--project', project, '--run', runIds.join(','), '--format', 'csv', '--out', out]);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain("--format csv writes one run's predictions: name one run.");
    const missing = runCli(['export', '--project', project, '--run', '999', '--format', 'csv', '--out', out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('There is no finished run 999 in this project.');
  });
});
