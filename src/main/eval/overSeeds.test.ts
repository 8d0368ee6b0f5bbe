import { describe, expect, it } from 'vitest';
import type { ComparedRun } from './comparisonTable';
import { overSeeds, overSeedsRows, type PickedRun } from './overSeeds';

function picked(variant: string, seed: number, auc: number, dEOddsSex: number, extra: Partial<PickedRun> = {}): PickedRun {
  const labels = [0, 0, 1, 1];
  const run: ComparedRun = {
    variant,
    seed,
    runId: seed * 10 + variant.length,
    auc,
    acc: 0.5,
    balancedAcc: 0.6,
    dEOdds: { sex: dEOddsSex },
    leakage: { sex: 0.55, site: Number.NaN },
    epochSeconds: 1,
    scored: { bySubject: new Map(labels.map((label, i) => [i + 1, { fold: i % 2, label, score: 0.2 + 0.2 * i }])) },
  };
  return { run, cohortId: 1, protocol: 'kfold5', ...extra };
}

describe('runs by variant over seeds', () => {
  const runs = [
    picked('neurolip', 0, 0.74, 0.1),
    picked('neurolip-nofair', 0, 0.72, 0.2),
    picked('neurolip', 1, 0.76, 0.3),
    picked('neurolip-nofair', 1, 0.73, 0.2),
  ];

  it('gives each variant mean ± SD over its seeds and its difference to the first variant seed by seed', () => {
    const [reference, nofair] = overSeedsRows(overSeeds(runs)!);
    expect(reference).toMatchObject({ variant: 'neurolip', seeds: [0, 1], vsReference: null, leakage: { site: { mean: null } } });
    expect(reference!.auc.mean).toBeCloseTo(0.75, 12);
    expect(reference!.dEOdds.sex!.sd).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(nofair!.seeds).toEqual([0, 1]);
    expect(nofair!.vsReference!.auc).toMatchObject({ higher: 0, seeds: 2 });
    expect(nofair!.vsReference!.auc.mean).toBeCloseTo(-0.025, 12);
    expect(nofair!.vsReference!.dEOdds.sex).toMatchObject({ higher: 1, seeds: 2 });
    expect(nofair!.vsReference!.dEOdds.sex!.mean).toBeCloseTo(0, 12);
    // No site probe: nothing to pair, and no NaN in the API's answer.
    expect(nofair!.vsReference!.leakage.site).toEqual({ mean: null, sd: null, se: null, higher: 0, seeds: 0 });
  });

  it('makes no such table for runs of other cohorts or protocols, a seed given twice, or one seed per variant', () => {
    expect(overSeeds([...runs.slice(0, 3), picked('neurolip-nofair', 1, 0.7, 0.2, { protocol: 'loso' })])).toBeNull();
    expect(overSeeds([...runs.slice(0, 3), picked('neurolip-nofair', 1, 0.7, 0.2, { cohortId: 2 })])).toBeNull();
    expect(overSeeds([...runs, picked('neurolip', 1, 0.7, 0.2)])).toBeNull();
    expect(overSeeds(runs.slice(0, 2))).toBeNull();
  });
});
