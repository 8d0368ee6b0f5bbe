import { describe, expect, it } from 'vitest';
import { formatMeanSd, formatPaired } from '../../shared/figureText';
import { comparisonMarkdown, summariseComparison, type ComparedRun } from './comparisonTable';

/** Six subjects in two folds; scores chosen so each run's pooled AUC is known by hand. */
function scored(scores: number[]): ComparedRun['scored'] {
  const labels = [0, 0, 0, 1, 1, 1];
  return { bySubject: new Map(scores.map((score, i) => [i + 1, { fold: i % 2, label: labels[i]!, score }])) };
}

function run(
  variant: string,
  seed: number,
  auc: number,
  dEOddsSex: number,
  scores: number[],
  extra: Partial<ComparedRun> = {},
): ComparedRun {
  return {
    variant,
    seed,
    runId: seed * 10 + variant.length,
    auc,
    acc: 0.5,
    balancedAcc: 0.5,
    dEOdds: { sex: dEOddsSex },
    leakage: { sex: Number.NaN, site: Number.NaN },
    epochSeconds: 2,
    scored: scored(scores),
    ...extra,
  };
}

describe('comparison table', () => {
  const perfect = [0.1, 0.2, 0.3, 0.7, 0.8, 0.9];
  // One of nine patient-control pairs misordered (0.35 < 0.4): AUC 8/9.
  const oneSwap = [0.1, 0.2, 0.4, 0.35, 0.8, 0.9];
  const runs = [
    run('logreg-fc', 0, 8 / 9, 0.2, oneSwap),
    run('logreg-fc', 1, 8 / 9, 0.4, oneSwap),
    run('neurolip', 0, 1, 0.1, perfect, {
      leakage: { sex: 0.6, site: 0.8 },
      recovery: { patientMap: 0.5, absoluteContrast: 0.75 },
      dEOddsChance: { sex: 0.08 },
    }),
    run('neurolip', 1, 1, 0.3, perfect, {
      leakage: { sex: 0.7, site: 0.9 },
      recovery: { patientMap: 0.7, absoluteContrast: 0.25 },
      dEOddsChance: { sex: 0.1 },
    }),
  ];

  it('gives mean ± SD over seeds and the paired AUC difference to the reference variant', () => {
    const [reference, neurolip] = summariseComparison(runs, ['logreg-fc', 'neurolip']);
    expect(reference!.aucVsReference).toBeNull();
    expect(reference!.dEOdds.sex!.mean).toBeCloseTo(0.3, 12);
    expect(reference!.dEOdds.sex!.sd).toBeCloseTo(Math.SQRT2 * 0.1, 12);
    expect(Number.isNaN(reference!.leakage.sex.mean)).toBe(true);
    expect(neurolip!.seeds).toEqual([0, 1]);
    expect(neurolip!.leakage.sex.mean).toBeCloseTo(0.65, 12);
    expect(neurolip!.leakage.site.mean).toBeCloseTo(0.85, 12);
    expect(neurolip!.recovery!.absoluteContrast.mean).toBeCloseTo(0.5, 12);
    expect(neurolip!.aucVsReference!.perSeed.map((p) => p.difference)).toEqual([1 - 8 / 9, 1 - 8 / 9].map((d) => expect.closeTo(d, 12)));
    expect(neurolip!.aucVsReference!.perSeed[0]!.ciLow).toBeLessThanOrEqual(neurolip!.aucVsReference!.perSeed[0]!.difference);
  });

  it('leaves the difference out when the folds differ', () => {
    const moved = run('neurolip', 0, 1, 0.1, perfect);
    moved.scored.bySubject.get(1)!.fold = 1;
    const [, neurolip] = summariseComparison([runs[0]!, moved], ['logreg-fc', 'neurolip']);
    expect(neurolip!.aucVsReference).toBeNull();
  });

  it('writes a Markdown table with one line per variant', () => {
    const table = comparisonMarkdown(summariseComparison(runs, ['logreg-fc', 'neurolip']), {
      cohort: 'abide',
      protocol: 'kfold5',
      seeds: [0, 1],
      subjects: 6,
    });
    const lines = table.split('\n');
    expect(lines[0]).toBe('Cohort abide: 6 subjects, kfold5, seeds 0, 1; mean ± SD over seeds, every variant on the same folds.');
    expect(lines[2]).toContain('| variant | AUC | ΔAUC vs logreg-fc (paired) |');
    expect(lines[2]).toContain('dEOdds(sex)');
    expect(lines[4]).toBe(
      '| `logreg-fc` | 0.889 ± 0.000 | – | 0.500 ± 0.000 | 0.500 ± 0.000 | 0.300 ± 0.141 | – | – | – | – | 2.0 ± 0.0 |',
    );
    expect(lines[5]).toContain('| `neurolip` | 1.000 ± 0.000 | +0.111 ± 0.000 |');
    expect(lines[5]).toContain('| 0.650 ± 0.071 | 0.850 ± 0.071 | 0.60 ± 0.14 | 0.50 ± 0.35 |');
    // Only neurolip's runs stored a permutation null: its mean is the one level shown.
    expect(lines[7]).toBe(
      'dEOdds by chance with these group sizes (median gap with the group labels shuffled within each diagnosis, mean over seeds, lowest–highest over the variants): sex 0.090.',
    );
    const both = runs.map((r) => (r.variant === 'logreg-fc' ? { ...r, dEOddsChance: { sex: 0.12 } } : r));
    expect(
      comparisonMarkdown(summariseComparison(both, ['logreg-fc', 'neurolip']), {
        cohort: 'abide',
        protocol: 'kfold5',
        seeds: [0, 1],
        subjects: 6,
      }),
    ).toContain('lowest–highest over the variants): sex 0.090–0.120.');
  });

  it('pairs every goal figure with the reference seed by seed, and writes that table under the first', () => {
    const leak = (sex: number): Partial<ComparedRun> => ({ leakage: { sex, site: 0.7 } });
    const goalRuns = [
      run('neurolip', 0, 0.74, 0.1, perfect, leak(0.55)),
      run('neurolip', 1, 0.75, 0.3, perfect, leak(0.56)),
      run('neurolip', 2, 0.72, 0.2, perfect, leak(0.57)),
      run('neurolip-nofair', 0, 0.73, 0.2, perfect, leak(0.6)),
      run('neurolip-nofair', 1, 0.75, 0.2, perfect, leak(0.5)),
      run('neurolip-nofair', 2, 0.7, 0.5, perfect, leak(0.6)),
      // A seed the reference lacks pairs with nothing.
      run('neurolip-nofair', 3, 0.9, 0.9, perfect, leak(0.9)),
    ];
    const [reference, nofair] = summariseComparison(goalRuns, ['neurolip', 'neurolip-nofair']);
    expect(reference!.pairedVsReference).toBeNull();
    const sex = nofair!.pairedVsReference!.dEOdds.sex!;
    expect(sex.mean).toBeCloseTo(0.1, 12);
    expect(sex.sd).toBeCloseTo(0.2, 12);
    expect(sex.se).toBeCloseTo(0.2 / Math.sqrt(3), 12);
    expect([sex.higher, sex.seeds]).toEqual([2, 3]);
    expect(nofair!.pairedVsReference!.auc).toMatchObject({ higher: 0, seeds: 3 });
    expect(nofair!.pairedVsReference!.auc.mean).toBeCloseTo(-0.01, 12);
    expect(nofair!.pairedVsReference!.leakage.sex.mean).toBeCloseTo(0.02 / 3, 12);
    expect(nofair!.pairedVsReference!.leakage.site).toMatchObject({ mean: 0, higher: 0, seeds: 3 });

    const lines = comparisonMarkdown(summariseComparison(goalRuns, ['neurolip', 'neurolip-nofair']), {
      cohort: 'abide',
      protocol: 'kfold5',
      seeds: [0, 1, 2, 3],
      subjects: 6,
    }).split('\n');
    const start = lines.findIndex((l) => l.startsWith('Each variant minus `neurolip`'));
    expect(start).toBeGreaterThan(5);
    expect(lines[start + 2]).toBe('| variant | AUC | dEOdds(sex) | sex leakage AUC | site leakage AUC |');
    expect(lines[start + 4]).toContain(
      '| `neurolip-nofair` | -0.010 ± 0.010 (SE 0.006; higher on 0 of 3) | +0.100 ± 0.200 (SE 0.115; higher on 2 of 3) |',
    );
    expect(lines).toHaveLength(start + 5);
  });

  it('formats a paired difference of one seed without a spread, and none as a dash', () => {
    expect(formatPaired({ mean: -0.02, sd: Number.NaN, se: Number.NaN, higher: 0, seeds: 1 })).toBe('-0.020 (higher on 0 of 1)');
    expect(formatPaired({ mean: Number.NaN, sd: Number.NaN, se: Number.NaN, higher: 0, seeds: 0 })).toBe('–');
  });

  it('formats a single value without an SD and a missing one as a dash', () => {
    expect(formatMeanSd({ mean: 0.5, sd: Number.NaN })).toBe('0.500');
    expect(formatMeanSd({ mean: Number.NaN, sd: Number.NaN })).toBe('–');
  });
});
