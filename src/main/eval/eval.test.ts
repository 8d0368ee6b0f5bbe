import { describe, expect, it } from 'vitest';
import { equalisedOddsNull, fairnessGapIntervals, fairnessReport } from './fairness';
import { checkDiagnosisCounts, leaveOneSiteOut, stratifiedKFold, validationSplit } from './folds';
import { auc, classificationMetrics, meanSd, metricsWithCi } from './metrics';
import { fitLogistic } from './logisticRegression';
import { NumpyRandomState } from './numpyRandomState';

describe('NumPy-compatible shuffling and scikit-learn-compatible folds', () => {
  it('shuffles as numpy.random.RandomState(seed).shuffle does', () => {
    // Printed by NumPy 1.24: r = np.random.RandomState(seed); a = np.arange(20); r.shuffle(a)
    const expected: Record<number, number[]> = {
      0: [18, 1, 19, 8, 10, 17, 6, 13, 4, 2, 5, 14, 9, 7, 16, 11, 3, 0, 15, 12],
      1: [3, 16, 6, 10, 2, 14, 4, 17, 7, 1, 13, 0, 19, 18, 9, 15, 8, 12, 11, 5],
      42: [0, 17, 15, 1, 8, 5, 11, 3, 18, 16, 13, 2, 9, 19, 4, 12, 7, 10, 14, 6],
    };
    for (const [seed, order] of Object.entries(expected)) {
      expect(new NumpyRandomState(Number(seed)).shuffle(Array.from({ length: 20 }, (_, i) => i))).toEqual(order);
    }
  });

  it('splits as StratifiedKFold(5, shuffle=True, random_state=seed) does', () => {
    const labels = [
      '1|A',
      '0|A',
      '1|B',
      '0|B',
      '0|A',
      '1|A',
      '0|B',
      '0|B',
      '1|C',
      '0|C',
      '1|A',
      '0|A',
      '1|B',
      '0|C',
      '0|A',
      '1|C',
      '1|B',
      '0|A',
      '1|A',
      '0|B',
      '0|C',
      '1|B',
      '0|A',
    ];
    // Printed by scikit-learn 1.2.1 for the same labels.
    expect(stratifiedKFold(labels, 5, 0).map((f) => f.test)).toEqual([
      [1, 6, 12, 18, 20],
      [3, 9, 10, 11, 21],
      [0, 4, 7, 13, 16],
      [2, 5, 15, 22],
      [8, 14, 17, 19],
    ]);
    expect(stratifiedKFold(labels, 5, 3).map((f) => f.test)).toEqual([
      [2, 6, 10, 13, 17],
      [4, 5, 9, 19, 21],
      [1, 3, 16, 18, 20],
      [0, 8, 12, 22],
      [7, 11, 14, 15],
    ]);
    const folds = stratifiedKFold(labels, 5, 0);
    for (const fold of folds) expect([...fold.train, ...fold.test].sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
  });

  it('refuses a protocol too few subjects of a diagnosis would train or test on', () => {
    const labels = { control: 'control', patient: 'autism' };
    const dx = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    const sites = ['A', 'A', 'A', 'B', 'B', 'A', 'A', 'A', 'B', 'B', 'B', 'B'];
    expect(() => checkDiagnosisCounts(dx, sites, 'kfold5', labels)).not.toThrow();
    expect(() => checkDiagnosisCounts(dx.slice(1), sites.slice(1), 'kfold5', labels)).toThrow(
      'Stratified 5-fold needs at least 5 subjects of each diagnosis, so that every fold tests both, and this cohort has 4 "autism" and 7 "control". Import more subjects of the smaller group.',
    );
    expect(() => checkDiagnosisCounts(dx, sites, 'loso', labels)).toThrow(
      'Leave one site out needs at least 5 subjects of each diagnosis among the sites each fold trains on, and without A the other sites have 2 "autism" and 4 "control". Choose stratified 5-fold.',
    );
    const many = [...dx, ...dx, ...dx];
    expect(() => checkDiagnosisCounts(many, [...sites, ...sites, ...sites], 'loso', labels)).not.toThrow();
    expect(() =>
      checkDiagnosisCounts(
        many,
        many.map(() => 'A'),
        'loso',
        labels,
      ),
    ).toThrow('every subject of this cohort is from A');
  });

  it('leaves one site out, and holds out a stratified validation set', () => {
    const sites = ['B', 'A', 'B', null, 'C'];
    expect(leaveOneSiteOut(sites)).toEqual([
      { name: 'A', train: [0, 2, 3, 4], test: [1] },
      { name: 'B', train: [1, 3, 4], test: [0, 2] },
      { name: 'C', train: [0, 1, 2, 3], test: [4] },
    ]);
    expect(() => leaveOneSiteOut(['B', null, 'B'])).toThrow(
      'Leave one site out needs subjects from at least two sites, and every subject of this cohort is from B. Choose stratified 5-fold.',
    );
    expect(() => leaveOneSiteOut([null, null])).toThrow('and no subject of this cohort has a site.');
    const labels = Array.from({ length: 100 }, (_, i) => (i < 60 ? '0|A' : '1|A'));
    const split = validationSplit(
      labels.map((_, i) => i),
      labels,
      labels,
      0.1,
      7,
    );
    expect(split.validation).toHaveLength(10);
    expect(split.validation.filter((i) => i < 60)).toHaveLength(6);
    expect(split.fit).toHaveLength(90);
  });
});

describe('metrics', () => {
  const y = [0, 0, 1, 1, 1, 0, 1, 0];
  const s = [0.1, 0.4, 0.35, 0.8, 0.4, 0.2, 0.9, 0.6];

  it('AUC matches scikit-learn, ties included', () => {
    expect(auc(y, s)).toBe(0.78125);
    expect(auc([1, 1], [0.2, 0.3])).toBeNaN();
  });

  it('threshold metrics match hand counts', () => {
    // p > 0.5: predicted [0,0,0,1,0,1? no: 0.2 -> 0, 0.9 -> 1, 0.6 -> 1] => TP 2 (0.8, 0.9), FN 2, FP 1 (0.6), TN 3
    const m = classificationMetrics(y, s);
    expect(m).toEqual({ acc: 5 / 8, balancedAcc: (2 / 4 + 3 / 4) / 2, auc: 0.78125, f1: 4 / 7, sensitivity: 0.5, specificity: 0.75 });
  });

  it('bootstrap intervals bracket the point estimate and repeat for a seed', () => {
    const labels = Array.from({ length: 200 }, (_, i) => i % 2);
    const scores = labels.map((l, i) => 0.3 * l + ((i * 37) % 100) / 100);
    const a = metricsWithCi(labels, scores, 300, 1);
    const b = metricsWithCi(labels, scores, 300, 1);
    expect(a).toEqual(b);
    expect(a.auc.ciLow).toBeLessThan(a.auc.value);
    expect(a.auc.ciHigh).toBeGreaterThan(a.auc.value);
  });

  it('mean and SD', () => {
    expect(meanSd([1, 2, 3, Number.NaN])).toEqual({ mean: 2, sd: 1 });
  });
});

describe('fairness (Fairlearn between-group differences)', () => {
  it('matches hand-computed gaps and leaves small groups out of them', () => {
    // Group M: 10 subjects, 5 positive; predictions: TP 4, FN 1, FP 1, TN 4.
    // Group F: 10 subjects, 4 positive; predictions: TP 2, FN 2, FP 0, TN 6.
    // Group X: 3 subjects (small): all predicted positive.
    const labels = [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0];
    const scores = [0.9, 0.8, 0.7, 0.6, 0.2, 0.7, 0.1, 0.2, 0.3, 0.4, 0.9, 0.8, 0.3, 0.2, 0.1, 0.2, 0.3, 0.1, 0.2, 0.3, 0.9, 0.9, 0.9];
    const groups = [...Array(10).fill('M'), ...Array(10).fill('F'), 'X', 'X', 'X'];
    const report = fairnessReport(labels, scores, groups);
    const byGroup = Object.fromEntries(report.groups.map((g) => [g.group, g]));
    expect(byGroup.M).toMatchObject({ n: 10, tpr: 0.8, fpr: 0.2, selectionRate: 0.5, acc: 0.8, small: false });
    expect(byGroup.F).toMatchObject({ n: 10, tpr: 0.5, fpr: 0, selectionRate: 0.2, acc: 0.8, small: false });
    expect(byGroup.X).toMatchObject({ n: 3, selectionRate: 1, small: true });
    expect(report.dDP).toBeCloseTo(0.3, 12);
    expect(report.dEOpp).toBeCloseTo(0.3, 12);
    expect(report.dEOdds).toBeCloseTo(0.3, 12);
    expect(report.dAUC).toBeCloseTo(Math.abs(byGroup.M!.auc - byGroup.F!.auc), 12);
  });

  it('lists the age groups in age order', () => {
    const groups = ['>=18', '<12', '12-17', '>=18', '<12', '12-17'];
    const report = fairnessReport([1, 0, 1, 0, 1, 0], [0.9, 0.1, 0.8, 0.2, 0.7, 0.3], groups);
    expect(report.groups.map((g) => g.group)).toEqual(['<12', '12-17', '>=18']);
  });

  it('tells a real equalised-odds gap from one chance gives, by shuffling groups within each diagnosis', () => {
    // 200 subjects, half positive, groups A/B alternating; the score separates the classes with noise.
    const n = 200;
    const labels = Array.from({ length: n }, (_, i) => (i < n / 2 ? 1 : 0));
    const groups = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'A' : 'B'));
    const noise = (i: number): number => ((i * 7919) % 101) / 101 - 0.5;
    const fair = labels.map((y, i) => 0.5 + (y - 0.5) * 0.4 + 0.5 * noise(i));
    const biased = fair.map((p, i) => (groups[i] === 'B' ? p - 0.25 : p));
    const unbiased = equalisedOddsNull(labels, fair, groups, 300, 1);
    const shifted = equalisedOddsNull(labels, biased, groups, 300, 1);
    expect(shifted.p).toBeLessThan(0.01);
    expect(unbiased.p).toBeGreaterThan(0.1);
    expect(unbiased.chance).toBeGreaterThan(0);
    expect(shifted.chance).toBeLessThan(fairnessReport(labels, biased, groups).dEOdds);
    expect(equalisedOddsNull(labels, fair, groups, 300, 1)).toEqual(unbiased);
    expect(equalisedOddsNull(labels, fair, Array(n).fill('A'), 50, 1)).toEqual({ chance: Number.NaN, p: Number.NaN });
  });
});

describe('logistic regression (the leakage probe)', () => {
  it('matches scikit-learn LogisticRegression(C=1) on standardised features', () => {
    const x = Float64Array.from([1, 2, 2, 1, 3, 4, 4, 3, 5, 6, 6, 4.5, 2.5, 2, 3.5, 5]);
    const y = [0, 0, 0, 1, 1, 1, 0, 1];
    // Printed by scikit-learn 1.2.1: LogisticRegression(C=1.0).fit(StandardScaler().fit_transform(X), y).predict_proba(...)
    const expected = [0.099509, 0.121416, 0.501781, 0.557426, 0.90176, 0.902049, 0.230355, 0.685659];
    const p = fitLogistic(x, y, 2).predict(x, 8);
    expected.forEach((value, i) => expect(p[i]).toBeCloseTo(value, 4));
  });
});

describe('fairness gap intervals', () => {
  it('bracket the point gaps and repeat for a seed', () => {
    const labels = Array.from({ length: 120 }, (_, i) => i % 2);
    const groups = labels.map((_, i) => (i % 3 === 0 ? 'F' : 'M'));
    const scores = labels.map((l, i) => 0.3 * l + (groups[i] === 'F' ? 0.25 : 0) + ((i * 37) % 50) / 100);
    const point = fairnessReport(labels, scores, groups);
    const a = fairnessGapIntervals(labels, scores, groups, 300, 2);
    expect(a).toEqual(fairnessGapIntervals(labels, scores, groups, 300, 2));
    for (const name of ['dDP', 'dEOpp', 'dEOdds', 'dAUC'] as const) {
      expect(a[name][0]).toBeLessThanOrEqual(point[name] + 1e-12);
      expect(a[name][1]).toBeGreaterThanOrEqual(point[name] - 1e-12);
    }
  });
});
