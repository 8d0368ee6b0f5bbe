import { beforeAll, describe, expect, it } from 'vitest';
import { auc } from '../eval/metrics';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import { CROSS_FIT_FOLDS, crossFittedScores, groupOffsets, MIN_GROUP_DIAGNOSIS } from './groupOffsets';
import { fitL2Logistic } from './l2Logistic';
import * as tf from './tf';

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Within each diagnosis, each group's mean offset score minus all subjects' mean, averaged over the diagnoses. */
function remainingGaps(scores: number[], dx: number[], codes: Int32Array[], offsets: Float32Array[], attribute: number): number[] {
  const adjusted = scores.map((s, i) => s + codes.reduce((sum, code, a) => sum + (code[i]! >= 0 ? offsets[a]![code[i]!]! : 0), 0));
  const mean = (rows: number[]) => rows.reduce((s, i) => s + adjusted[i]!, 0) / rows.length;
  const everyone = dx.map((_, i) => i);
  return Array.from(offsets[attribute]!, (_, g) => {
    const gaps = [0, 1].map(
      (d) => mean(everyone.filter((i) => dx[i] === d && codes[attribute]![i] === g)) - mean(everyone.filter((i) => dx[i] === d)),
    );
    return (gaps[0]! + gaps[1]!) / 2;
  });
}

describe('group offsets of a diagnosis score', () => {
  it("moves each group's mean score within each diagnosis to everyone's, averaged over the diagnoses", () => {
    // Controls: group 0 scores -2 (x5), group 1 scores 0 (x5); patients: group 0 scores 1 (x5), group 1 scores 1 (x5).
    const scores = [...Array(5).fill(-2), ...Array(5).fill(0), ...Array(10).fill(1)];
    const dx = [...Array(10).fill(0), ...Array(10).fill(1)];
    const sex = Int32Array.from([...Array(5).fill(0), ...Array(5).fill(1), ...Array(5).fill(0), ...Array(5).fill(1)]);
    const [offsets] = groupOffsets(scores, dx, [sex], [2]);
    // Controls' mean -1: group 0 is 1 below it, group 1 is 1 above; patients' groups sit on their mean.
    expect(Array.from(offsets!)).toEqual([0.5, -0.5]);
  });

  it('counts a diagnosis for a group only with enough of its subjects there, and leaves missing codes and empty groups alone', () => {
    const few = MIN_GROUP_DIAGNOSIS - 1;
    const scores = [...Array(6).fill(0), ...Array(few).fill(-4), ...Array(6).fill(2), ...Array(6).fill(3), 10, 10];
    const dx = [...Array(6 + few).fill(0), ...Array(12).fill(1), 0, 1];
    const site = Int32Array.from([...Array(6).fill(0), ...Array(few).fill(1), ...Array(6).fill(0), ...Array(6).fill(1), -1, -1]);
    const [offsets] = groupOffsets(scores, dx, [site], [3]);
    const patients = [...Array(6).fill(2), ...Array(6).fill(3), 10];
    const patientMean = patients.reduce((a, b) => a + b, 0) / patients.length;
    const controls = [...Array(6).fill(0), ...Array(few).fill(-4), 10];
    const controlMean = controls.reduce((a, b) => a + b, 0) / controls.length;
    // Group 0 has both diagnoses; group 1 has too few controls, so only its patients count; group 2 is empty.
    expect(offsets![0]).toBeCloseTo((controlMean - 0 + patientMean - 2) / 2, 5);
    expect(offsets![1]).toBeCloseTo(patientMean - 3, 5);
    expect(offsets![2]).toBe(0);
  });

  it('fits several attributes together, so that neither leaves a gap where the groups overlap', () => {
    const random = new SeededRandom(3);
    const n = 400;
    const dx = Array.from({ length: n }, (_, i) => i % 2);
    const sex = Int32Array.from({ length: n }, () => (random.next() < 0.3 ? 0 : 1));
    // Site is tied to sex (site 0 mostly women), and both shift the scores.
    const site = Int32Array.from(sex, (s) => (random.next() < (s === 0 ? 0.7 : 0.2) ? 0 : 1 + random.int(2)));
    const scores = dx.map((d, i) => d * 1.5 - (sex[i] === 0 ? 0.8 : 0) + [0.5, 0, -0.3][site[i]!]! + random.normal() * 0.5);
    const codes = [sex, site];
    const offsets = groupOffsets(scores, dx, codes, [2, 3]);
    for (const attribute of [0, 1]) {
      remainingGaps(scores, dx, codes, offsets, attribute).forEach((gap) => expect(Math.abs(gap)).toBeLessThan(0.01));
    }
    const sexAlone = groupOffsets(scores, dx, [sex], [2]);
    expect(Math.max(...remainingGaps(scores, dx, codes, [sexAlone[0]!, new Float32Array(3)], 1).map(Math.abs))).toBeGreaterThan(0.1);
  });
});

describe("group offsets by the 'rates' criterion", () => {
  const rates = { shrink: false, criterion: 'rates' } as const;

  /** Group 1's true- and false-positive rates at 0 less group 0's, each group's scores moved by its offset. */
  function rateGaps(scores: number[], dx: number[], group: Int32Array, offsets: Float32Array): { tpr: number; fpr: number } {
    const rate = (d: number, g: number) => {
      const rows = scores.map((_, i) => i).filter((i) => dx[i] === d && group[i] === g);
      return rows.filter((i) => scores[i]! + offsets[g]! >= 0).length / rows.length;
    };
    return { tpr: rate(1, 1) - rate(1, 0), fpr: rate(0, 1) - rate(0, 0) };
  }

  it('balances the equalised-odds gaps of a better-separated group when the threshold is off the midpoint, where equal means do not', () => {
    // Everyone's midpoint is -0.3, so the threshold 0 calls fewer patients than controls are left; group 1 (a fifth of the
    // subjects) separates the diagnoses more widely about the same midpoint, so equal means leave its true-positive rate high.
    const random = new SeededRandom(21);
    const n = 4000;
    const dx = Array.from({ length: n }, (_, i) => i % 2);
    const group = Int32Array.from({ length: n }, () => (random.next() < 0.2 ? 1 : 0));
    const scores = dx.map((d, i) => (group[i] === 1 ? (d === 1 ? 1.0 : -1.6) : d === 1 ? 0.3 : -0.9) + random.normal() * 0.8);
    const [byMeans] = groupOffsets(scores, dx, [group], [2]);
    const [byRates] = groupOffsets(scores, dx, [group], [2], rates);
    const meansGap = rateGaps(scores, dx, group, byMeans!);
    const ratesGap = rateGaps(scores, dx, group, byRates!);
    expect(meansGap.tpr + meansGap.fpr).toBeGreaterThan(0.08);
    const largest = (gap: { tpr: number; fpr: number }) => Math.max(Math.abs(gap.tpr), Math.abs(gap.fpr));
    expect(largest(ratesGap)).toBeLessThan(largest(meansGap) - 0.03);
    // Balanced: opposite signs and, up to the smoothing and the rates' steps, one size.
    expect(ratesGap.tpr).toBeGreaterThan(0);
    expect(ratesGap.fpr).toBeLessThan(0);
    expect(Math.abs(ratesGap.tpr + ratesGap.fpr)).toBeLessThan(0.03);
  });

  it('gives the offsets of equal means when the groups differ by a shift alone', () => {
    const random = new SeededRandom(22);
    const n = 4000;
    const dx = Array.from({ length: n }, (_, i) => i % 2);
    const group = Int32Array.from({ length: n }, () => (random.next() < 0.5 ? 1 : 0));
    const scores = dx.map((d, i) => (d === 1 ? 0.7 : -0.7) + (group[i] === 1 ? -0.5 : 0.5) + random.normal() * 0.8);
    const [byMeans] = groupOffsets(scores, dx, [group], [2]);
    const [byRates] = groupOffsets(scores, dx, [group], [2], rates);
    byRates!.forEach((offset, g) => expect(offset).toBeCloseTo(byMeans![g]!, 1));
    expect(byRates![1]! - byRates![0]!).toBeGreaterThan(0.9);
  });
});

describe('shrunk group offsets', () => {
  const shrunkByMeans = { shrink: true, criterion: 'means' } as const;

  /** Scores of `groups` groups of `size` per diagnosis: group g shifted by shift(g), plus noise of SD 1. */
  function scored(groups: number, size: number, shift: (g: number) => number, seed: number) {
    const random = new SeededRandom(seed);
    const site = Int32Array.from({ length: groups * size * 2 }, (_, i) => Math.floor(i / 2) % groups);
    const dx = Array.from(site, (_, i) => i % 2);
    const scores = dx.map((d, i) => d + shift(site[i]!) + random.normal());
    return { scores, dx, site };
  }

  it('move noise-sized offsets most of the way to 0 and keep offsets well above the noise', () => {
    const noiseOnly = scored(10, 8, () => 0, 5);
    const [raw] = groupOffsets(noiseOnly.scores, noiseOnly.dx, [noiseOnly.site], [10]);
    const [shrunk] = groupOffsets(noiseOnly.scores, noiseOnly.dx, [noiseOnly.site], [10], shrunkByMeans);
    const size = (values: Float32Array) => Math.sqrt(values.reduce((s, v) => s + v * v, 0) / values.length);
    expect(size(raw!)).toBeGreaterThan(0.15);
    expect(size(shrunk!)).toBeLessThan(size(raw!) / 2);
    raw!.forEach((v, g) => expect(Math.sign(shrunk![g]!) * Math.sign(v)).toBeGreaterThanOrEqual(0));

    const real = scored(10, 40, (g) => (g % 2 === 0 ? 1.5 : -1.5), 6);
    const [rawReal] = groupOffsets(real.scores, real.dx, [real.site], [10]);
    const [shrunkReal] = groupOffsets(real.scores, real.dx, [real.site], [10], shrunkByMeans);
    rawReal!.forEach((v, g) => expect(shrunkReal![g]! / v).toBeGreaterThan(0.95));
  });

  it('leave an attribute with fewer than three groups as it is', () => {
    const two = scored(2, 8, () => 0, 7);
    const [raw] = groupOffsets(two.scores, two.dx, [two.site], [2]);
    const [shrunk] = groupOffsets(two.scores, two.dx, [two.site], [2], shrunkByMeans);
    expect(Array.from(shrunk!)).toEqual(Array.from(raw!));
  });
});

describe('cross-fitted scores', () => {
  it('score each subject with a fit that did not see it: noise features separate the classes in-sample only', () => {
    const random = new SeededRandom(11);
    const n = 60;
    const p = 200;
    const y = Array.from({ length: n }, (_, i) => i % 2);
    const x = tf.tensor2d(
      Float32Array.from({ length: n * p }, () => random.normal()),
      [n, p],
    );
    const xT = tf.transpose(x);
    const c = 1;
    const { w, b } = fitL2Logistic(x, xT, y, c);
    const inSample = tf.tidy(() => tf.add(tf.matMul(x, tf.tensor2d(w, [p, 1])), b).dataSync());
    const uncentred = new Int32Array(n).fill(-1);
    const crossFitted = crossFittedScores(x, y, c, 0, uncentred);
    expect(auc(y, inSample)).toBe(1);
    expect(auc(y, crossFitted)).toBeLessThan(0.75);
    expect(Array.from(crossFittedScores(x, y, c, 0, uncentred))).toEqual(Array.from(crossFitted));
    expect(Array.from(crossFittedScores(x, y, c, 1, uncentred))).not.toEqual(Array.from(crossFitted));
    expect(CROSS_FIT_FOLDS).toBeLessThan(n / 2);
    tf.dispose([x, xT]);
  });

  it("centre each fit's subjects on their site's fitted subjects only, so a patient-rich site's held-out subjects do not read as controls", () => {
    // Two sites of 60 with 70 % and 30 % patients, noise features z-centred within each site on all
    // 120 subjects (as a site z-score over the training subjects does), and no diagnosis signal.
    const random = new SeededRandom(5);
    const n = 120;
    const p = 400;
    const site = Int32Array.from({ length: n }, (_, i) => (i < n / 2 ? 0 : 1));
    const y = Array.from({ length: n }, (_, i) => (i % (n / 2) < (site[i] === 0 ? 42 : 18) ? 1 : 0));
    const values = Float32Array.from({ length: n * p }, () => random.normal());
    for (const s of [0, 1]) {
      for (let k = 0; k < p; k += 1) {
        let mean = 0;
        for (let i = 0; i < n; i += 1) if (site[i] === s) mean += values[i * p + k]! / (n / 2);
        for (let i = 0; i < n; i += 1) if (site[i] === s) values[i * p + k]! -= mean;
      }
    }
    const x = tf.tensor2d(values, [n, p]);
    const c = 1 / (3 * n);
    // Within each diagnosis, the patient-rich site's mean score minus the other's, averaged over the diagnoses.
    const siteGap = (scores: Float32Array): number => {
      const mean = (s: number, d: number) => {
        const rows = y.map((_, i) => i).filter((i) => site[i] === s && y[i] === d);
        return rows.reduce((sum, i) => sum + scores[i]!, 0) / rows.length;
      };
      return (mean(0, 0) - mean(1, 0) + mean(0, 1) - mean(1, 1)) / 2;
    };
    const spread = (scores: Float32Array): number => {
      const mean = scores.reduce((s, v) => s + v, 0) / n;
      return Math.sqrt(scores.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
    };
    const uncentred = crossFittedScores(x, y, c, 0, new Int32Array(n).fill(-1));
    const centred = crossFittedScores(x, y, c, 0, site);
    expect(siteGap(uncentred)).toBeLessThan(-spread(uncentred));
    expect(Math.abs(siteGap(centred))).toBeLessThan(0.25 * spread(centred));
    x.dispose();
  });
});
