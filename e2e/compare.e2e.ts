import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { runCli, startServing } from './support/cli';

interface Comparison {
  cohort: string;
  seeds: number[];
  variants: string[];
  rows: {
    variant: string;
    seeds: number[];
    runIds: number[];
    auc: { mean: number; sd: number };
    aucVsReference: { perSeed: unknown[] } | null;
  }[];
  runs: {
    variant: string;
    seed: number;
    runId: number;
    auc: number;
    leakage: { sex: number; site: number };
    recovery?: { patientMap: number };
  }[];
  markdown: string;
}

describe('neurolip compare', () => {
  const root = mkdtempSync(join(tmpdir(), 'neurolip-compare-'));
  const project = join(root, 'compare.neurolip');
  const table = join(root, 'table.md');
  const args = ['compare', '--project', project, '--cohort', '1', '--variants', 'neurolip,neurolip-nofair', '--seeds', '0,1'];
  const quick = ['--epochs', '2', '--d', '8'];
  let first: Comparison;

  it('trains every variant for every seed on the same folds and writes the table', () => {
    expect(runCli(['demo', '--project', project, '--subjects', '80', '--json']).code).toBe(0);
    const out = runCli([...args, ...quick, '--markdown', table, '--json'], {}, 600_000);
    expect(out.code, out.stderr).toBe(0);
    // Progress goes to stderr, into a pipe a line per fold event, with the time left over the four runs.
    expect(out.stderr).toMatch(/^\[1\/4\] neurolip, seed 0: Training 5 folds$/m);
    expect(out.stderr).toMatch(/^\[4\/4\] neurolip-nofair, seed 1: Fold [1-5] of 5 done; about \d+ s left$/m);
    first = JSON.parse(out.stdout) as Comparison;
    expect(first.cohort).toMatch(/^Demo/);
    expect(first.runs.map((r) => `${r.variant}/${r.seed}`)).toEqual(['neurolip/0', 'neurolip-nofair/0', 'neurolip/1', 'neurolip-nofair/1']);
    expect(first.rows.map((r) => r.variant)).toEqual(['neurolip', 'neurolip-nofair']);
    const nofair = first.rows[1]!;
    expect(nofair.seeds).toEqual([0, 1]);
    expect(nofair.aucVsReference!.perSeed).toHaveLength(2);
    expect(first.rows[0]!.auc.mean).toBeCloseTo((first.runs[0]!.auc + first.runs[2]!.auc) / 2, 12);
    expect(first.runs.every((r) => r.recovery !== undefined)).toBe(true);
    expect(readFileSync(table, 'utf8')).toBe(`${first.markdown}\n`);
    expect(first.markdown).toContain('| `neurolip-nofair` |');
    expect(first.markdown).toContain('precision@k patient map');
    // 5-fold: both probes are scored, the site one site against the rest.
    expect(first.markdown).toContain('| sex leakage AUC | site leakage AUC |');
    // Under the table, each gap's chance level from the runs' stored permutation nulls.
    const chance = /dEOdds by chance with these group sizes \(.*\): sex (\d\.\d{3})(?:–(\d\.\d{3}))?, ageGroup .*, site .*\.$/m.exec(
      first.markdown,
    );
    expect(chance, first.markdown).not.toBeNull();
    expect(Number(chance![1])).toBeGreaterThan(0);
    // Below that, the goals' figures against the first variant, seed by seed.
    const auc = first.runs.map((r) => r.auc);
    const differences = [auc[1]! - auc[0]!, auc[3]! - auc[2]!];
    const mean = (differences[0]! + differences[1]!) / 2;
    const higher = differences.filter((d) => d > 0).length;
    expect(first.markdown).toContain('Each variant minus `neurolip`, seed by seed on the same folds');
    expect(first.markdown).toMatch(
      new RegExp(
        `^\\| \`neurolip-nofair\` \\| ${mean >= 0 ? '\\+' : ''}${mean.toFixed(3)} ± \\d\\.\\d{3} \\(SE \\d\\.\\d{3}; higher on ${higher} of 2\\) \\|`,
        'm',
      ),
    );
    for (const run of first.runs) {
      for (const probe of [run.leakage.sex, run.leakage.site]) {
        expect(probe).toBeGreaterThan(0);
        expect(probe).toBeLessThan(1);
      }
    }
  }, 600_000);

  it('reuses the finished runs when run again, and trains anew when the configuration differs', () => {
    const again = runCli([...args, ...quick], {}, 600_000);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr.match(/reusing finished run \d+/g)).toHaveLength(4);
    expect(again.stdout.trim()).toBe(first.markdown);
    const changed = runCli([...args, '--epochs', '3', '--d', '8', '--seeds', '0', '--json'], {}, 600_000);
    expect(changed.code, changed.stderr).toBe(0);
    const runIds = (JSON.parse(changed.stdout) as Comparison).runs.map((r) => r.runId);
    expect(Math.min(...runIds)).toBeGreaterThan(Math.max(...first.runs.map((r) => r.runId)));
  }, 600_000);

  it('shows the same runs by variant over seeds on the Results page, against the first variant seed by seed', async () => {
    const served = await startServing('serve', ['--project', project]);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
      await page.goto(served.url);
      await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Results' }).click();
      // The shown run's details load last (its confound checks) and move the run ticks down: tick once they are in.
      await expect.poll(() => page.getByTestId('confound-table').locator('tbody tr').count(), { timeout: 30_000 }).toBe(3);
      for (const run of first.runs)
        await page
          .getByTestId('compare-runs')
          .getByRole('checkbox', { name: new RegExp(`^${run.runId}\\. `) })
          .check();
      const rows = page.getByTestId('over-seeds-table').locator('tbody tr');
      // The tables follow the ticks as each comparison arrives from the server: wait for all four runs.
      await expect.poll(() => rows.nth(1).locator('td').allTextContents()).toContain('0, 1');
      expect(await rows.count()).toBe(2);
      expect(
        await page.getByText('Runs of different seeds use different folds: their differences are paired seed by seed below.').count(),
      ).toBe(1);
      const neurolip = first.rows[0]!;
      expect(await rows.nth(0).locator('td').allTextContents()).toEqual(
        expect.arrayContaining(['neurolip', '0, 1', `${neurolip.auc.mean.toFixed(3)} ± ${neurolip.auc.sd.toFixed(3)}`]),
      );
      const nofair = first.runs.filter((r) => r.variant === 'neurolip-nofair').map((r) => r.auc);
      const differences = first.runs.filter((r) => r.variant === 'neurolip').map((r, k) => nofair[k]! - r.auc);
      const mean = (differences[0]! + differences[1]!) / 2;
      const cells = await page.getByTestId('paired-by-seed-table').locator('tbody tr').first().locator('td').allTextContents();
      expect(cells[0]).toBe('neurolip-nofair');
      expect(cells[1]).toMatch(
        new RegExp(`^${mean >= 0 ? '\\+' : ''}${mean.toFixed(3)} ± \\d\\.\\d{3} \\(SE \\d\\.\\d{3}; higher on [0-2] of 2\\)$`),
      );
    } finally {
      await browser.close();
      await served.stop();
    }
  }, 120_000);

  it('writes the same over-seeds tables into the comparison report of those runs', () => {
    const out = join(root, 'comparison.html');
    const exported = runCli([
      'export',
      '--project',
      project,
      '--run',
      first.runs.map((r) => r.runId).join(','),
      '--format',
      'html',
      '--out',
      out,
    ]);
    expect(exported.code, exported.stderr).toBe(0);
    const html = readFileSync(out, 'utf8');
    const neurolip = first.rows[0]!;
    expect(html).toContain('<h2>By variant over seeds (mean ± SD)</h2>');
    expect(html).toContain(`<td>neurolip</td><td>0, 1</td><td>${neurolip.auc.mean.toFixed(3)} ± ${neurolip.auc.sd.toFixed(3)}</td>`);
    expect(html).toContain('<h3>Each variant minus neurolip, seed by seed</h3>');
    // Each run's confound checks side by side, as the run's own report gives them.
    expect(html).toContain('<h2>Confounds</h2>');
    const cell = '<td class="n">([^<]*)</td>';
    const motionRow = new RegExp(`<tr><td>Head motion \\(mean framewise displacement, mm\\), controls[^<]*</td>((?:${cell})+)</tr>`).exec(
      html,
    )!;
    const cells = [...motionRow[1]!.matchAll(new RegExp(cell, 'g'))].map((m) => m[1]);
    expect(cells).toHaveLength(first.runs.length);
    const single = join(root, 'first-run.html');
    expect(runCli(['export', '--project', project, '--run', String(first.runs[0]!.runId), '--format', 'html', '--out', single]).code).toBe(
      0,
    );
    const own = new RegExp(`<tr><td>Head motion \\(mean framewise displacement, mm\\)</td>${cell}${cell}`).exec(
      readFileSync(single, 'utf8'),
    )!;
    expect(cells[0]).toBe(own[2]);
    expect(cells[0]).toMatch(/^-?\d\.\d{3} \(p (&lt; 0\.001|\d\.\d{3}), Holm (&lt; 0\.001|\d\.\d{3})\)$/);
  });

  it('refuses an unknown variant before training anything', () => {
    const out = runCli(['compare', '--project', project, '--cohort', '1', '--variants', 'neurolip,bert']);
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('--variants takes neurolip-v1, neurolip, neurolip-nofair, clip-global, logreg-fc; not "bert".');
  });
});
