import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SPEC_DEFAULTS } from '../src/shared/trainDefaults';
import { REPO_ROOT, runCli } from './support/cli';

/**
 * Our numbers against the PyTorch reference (../shared/reference) on the demo cohort's files, on
 * the same folds (scikit-learn-identical StratifiedKFold, subjects ordered by FILE_ID).
 * logreg-fc runs in `npm test`; add neurolip-nofair with
 * NEUROLIP_PARITY_VARIANTS=logreg-fc,neurolip-nofair (about 15 minutes on 2 cores).
 */
const VARIANTS = (process.env.NEUROLIP_PARITY_VARIANTS ?? 'logreg-fc').split(',');
const REFERENCE = resolve(REPO_ROOT, '..', 'shared', 'reference', 'neurolip_ref.py');
const PYTHON = process.env.NEUROLIP_REFERENCE_PYTHON ?? '/usr/bin/python3';

describe('parity with the PyTorch reference on the demo cohort', () => {
  const root = mkdtempSync(join(tmpdir(), 'neurolip-parity-'));
  const project = join(root, 'parity.neurolip');
  let demoFolder = '';
  let referenceFolder = '';

  it('generates the demo cohort and lays its files out for the reference', () => {
    const demo = runCli(['demo', '--project', project, '--json']);
    expect(demo.code, demo.stderr).toBe(0);
    demoFolder = (JSON.parse(demo.stdout) as { folder: string }).folder;
    // The reference reads only *_rois_cc200.1D; give it the same files under that name.
    referenceFolder = join(root, 'reference-files');
    mkdirSync(referenceFolder);
    for (const name of readdirSync(demoFolder).filter((n) => n.endsWith('_rois_aal.1D'))) {
      symlinkSync(join(demoFolder, name), join(referenceFolder, name.replace('_rois_aal.1D', '_rois_cc200.1D')));
    }
    expect(readdirSync(referenceFolder)).toHaveLength(300);
  });

  for (const variant of VARIANTS) {
    it(`${variant}: pooled AUC within 0.03 of the reference's, kfold5 seed 0`, () => {
      const out = join(root, `${variant}-reference.json`);
      execFileSync(
        PYTHON,
        [
          REFERENCE,
          '--pcp',
          referenceFolder,
          '--pheno',
          join(demoFolder, 'phenotype.csv'),
          '--variant',
          variant,
          '--protocol',
          'kfold5',
          '--seed',
          '0',
          '--threads',
          '1',
          '--out',
          out,
        ],
        {
          stdio: 'ignore',
          timeout: 1_800_000,
        },
      );
      const reference = JSON.parse(readFileSync(out, 'utf8')) as { pooled: { AUC: number }; folds: { n_test: number }[] };
      // The reference implements the v1 spec; our neural variants default to the improved model, so they get v1's settings.
      const v1 = join(root, 'v1-settings.json');
      writeFileSync(v1, JSON.stringify(SPEC_DEFAULTS));
      const ours = runCli(['train', '--project', project, '--cohort', '1', '--variant', variant, '--config', v1, '--json'], {}, 1_800_000);
      expect(ours.code, ours.stderr).toBe(0);
      const result = JSON.parse(ours.stdout) as { metrics: { auc: { value: number } }; folds: { test: number }[] };
      console.log(`${variant}: pooled AUC ours ${result.metrics.auc.value.toFixed(3)}, reference ${reference.pooled.AUC.toFixed(3)}`);
      expect(result.folds.map((f) => f.test)).toEqual(reference.folds.map((f) => f.n_test));
      expect(Math.abs(result.metrics.auc.value - reference.pooled.AUC)).toBeLessThanOrEqual(0.03);
    }, 1_800_000);
  }
});
