import { describe, expect, it } from 'vitest';
import { comparisonMarkdown, formatMeanSd, summariseComparison, type ComparedRun } from './comparisonTable';

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
    expect(lines[0]).toBe('Cohort abide (6 subjects), kfold5, seeds 0, 1; mean ± SD over seeds, every variant on the same folds.');
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

  it('formats a single value without an SD and a missing one as a dash', () => {
    expect(formatMeanSd({ mean: 0.5, sd: Number.NaN })).toBe('0.500');
    expect(formatMeanSd({ mean: Number.NaN, sd: Number.NaN })).toBe('–');
  });
});
