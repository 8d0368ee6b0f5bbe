import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { runCli, startServing, type Served } from './support/cli';

/**
 * A cohort with two patient groups, as ADHD-200's subtypes imported apart: the demo's files, with
 * every third patient's DX_GROUP recoded 3 and a mapping that names code 3 "asperger".
 */
function importTwoPatientGroups(project: string): { autism: number; asperger: number; control: number } {
  const root = mkdtempSync(join(tmpdir(), 'neurolip-e2e-patients-'));
  const demo = JSON.parse(runCli(['demo', '--project', join(root, 'source.neurolip'), '--subjects', '60', '--json']).stdout) as {
    folder: string;
  };
  const [header, ...rows] = readFileSync(join(demo.folder, 'phenotype.csv'), 'utf8').trim().split('\n');
  const dxColumn = header!.split(',').indexOf('DX_GROUP');
  let patients = 0;
  const recoded = rows.map((row) => {
    const cells = row.split(',');
    if (cells[dxColumn] === '1' && patients++ % 3 === 0) cells[dxColumn] = '3';
    return cells.join(',');
  });
  const phenotype = join(root, 'phenotype.csv');
  writeFileSync(phenotype, `${[header, ...recoded].join('\n')}\n`);
  const mapping = join(root, 'mapping.json');
  writeFileSync(
    mapping,
    JSON.stringify({
      subjectId: 'FILE_ID',
      diagnosis: { column: 'DX_GROUP', codes: { '1': 'autism', '2': 'control', '3': 'asperger' }, control: 'control' },
      sex: { column: 'SEX', codes: { '1': 'male', '2': 'female' } },
      age: { column: 'AGE_AT_SCAN' },
      site: { column: 'SITE_ID' },
      meanFd: { column: 'func_mean_fd' },
      missingValues: ['-9999'],
      keepColumns: [],
    }),
  );
  const imported = runCli(['import', '--project', project, '--phenotype', phenotype, '--timeseries', demo.folder, '--mapping', mapping]);
  expect(imported.code, imported.stderr).toBe(0);
  const count = (code: string): number => recoded.filter((row) => row.split(',')[dxColumn] === code).length;
  return { autism: count('1'), asperger: count('3'), control: count('2') };
}

describe('a cohort with several patient groups in the browser', () => {
  const project = join(mkdtempSync(join(tmpdir(), 'neurolip-e2e-patients-')), 'patients.neurolip');
  let sizes: { autism: number; asperger: number; control: number };
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    sizes = importTwoPatientGroups(project);
    served = await startServing('serve', ['--project', project]);
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1500, height: 1000 } });
    await page.goto(served.url);
  });

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it('trains the controls against the patient groups left ticked, leaving the others out of the run', async () => {
    expect(sizes.asperger).toBeGreaterThan(5);
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name: 'Train' }).click();
    await expect
      .poll(() => page.getByTestId('diagnosis-target').textContent())
      .toBe(`Target: diagnosis, the ticked patient groups together against control (${sizes.control}); the others’ subjects are left out.`);
    expect(await page.getByTestId('patients-asperger').isChecked()).toBe(true);
    expect(await page.getByTestId('patients-autism').isChecked()).toBe(true);
    await page.getByTestId('patients-asperger').click();
    for (const variant of ['NeuroLIP', 'NeuroLIP without fairness terms', 'Logistic regression on connectivity'])
      await page.getByRole('checkbox', { name: variant, exact: true }).click();
    await expect.poll(() => page.getByTestId('start-training').textContent()).toBe('Start the run');
    await page.getByTestId('start-training').click();
    await expect.poll(() => page.getByTestId('live-run').first().getByTestId('run-finished').count(), { timeout: 120_000 }).toBe(1);
    const run = JSON.parse(runCli(['show-run', '--project', project, '--run', '1']).stdout) as {
      result: { subjects: number; config: { patientGroups: string[] } };
    };
    expect(run.result.subjects).toBe(sizes.control + sizes.autism);
    expect(run.result.config.patientGroups).toEqual(['autism']);
  });

  it('refuses to start with no patient group ticked', async () => {
    await page.getByTestId('patients-autism').click();
    await page.getByTestId('start-training').click();
    await expect.poll(() => page.getByText('Tick at least one patient group to predict.').count()).toBe(1);
  });
});
