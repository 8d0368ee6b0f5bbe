import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import { eraseGroups, fitGroupEraser } from './groupEraser';
import * as tf from './tf';

beforeAll(async () => {
  await selectBackend('wasm');
});

const N = 200;
const F = 40;

/** N subjects: diagnosis i % 2, sex by (i >> 1) % 2, site i % 5 (subject 7 without a site); features with planted offsets. */
function cohort() {
  const random = new SeededRandom(3);
  const dx = Int32Array.from({ length: N }, (_, i) => i % 2);
  const sex = Int32Array.from({ length: N }, (_, i) => (i >> 1) % 2);
  const site = Int32Array.from({ length: N }, (_, i) => (i === 7 ? -1 : i % 5));
  const features = new Float32Array(N * F);
  for (let i = 0; i < N; i += 1)
    for (let f = 0; f < F; f += 1)
      features[i * F + f] = random.normal() + (f === 0 ? 2 * dx[i]! : 0) + (f === 1 ? 1.5 * sex[i]! : 0) + (f === 2 ? 0.2 * site[i]! : 0);
  return { features, codes: [dx, sex, site] };
}

/** Mean of `values` [N, F] over the subjects `keep` selects. */
function meanOf(values: Float32Array, keep: (i: number) => boolean): number[] {
  const rows = Array.from({ length: N }, (_, i) => i).filter(keep);
  return Array.from({ length: F }, (_, f) => rows.reduce((sum, i) => sum + values[i * F + f]!, 0) / rows.length);
}

describe('the group eraser', () => {
  it('leaves every group of every diagnosis with its diagnosis’s mean on the subjects it was fitted on', () => {
    const { features, codes } = cohort();
    const eraser = fitGroupEraser(features, F, codes);
    const erased = tf.tidy(() => Float32Array.from(eraseGroups(eraser, tf.tensor2d(features, [N, F])).dataSync()));
    for (let a = 1; a < codes.length; a += 1)
      for (const c of [0, 1]) {
        const diagnosis = meanOf(erased, (i) => codes[0]![i] === c && codes[a]![i]! >= 0);
        for (const g of new Set(codes[a])) {
          if (g < 0) continue;
          const group = meanOf(erased, (i) => codes[0]![i] === c && codes[a]![i] === g);
          group.forEach((v, f) => expect(v).toBeCloseTo(diagnosis[f]!, 4));
        }
      }
    // Before erasing, sex's planted offset is there.
    const men = meanOf(features, (i) => codes[0]![i] === 0 && codes[1]![i] === 1);
    const women = meanOf(features, (i) => codes[0]![i] === 0 && codes[1]![i] === 0);
    expect(men[1]! - women[1]!).toBeGreaterThan(0.5);
    // The diagnosis's own difference, outside the groups' offsets, stays.
    const patients = meanOf(erased, (i) => codes[0]![i] === 1);
    const controls = meanOf(erased, (i) => codes[0]![i] === 0);
    expect(patients[0]! - controls[0]!).toBeGreaterThan(1);
  });

  it('writes along orthonormal rows spanning the offsets, reads along the discriminant directions, and is a projection', () => {
    const { features, codes } = cohort();
    // Feature 3 varies ten times as much as the others within the diagnoses, with no group signal.
    for (let i = 0; i < N; i += 1) features[i * F + 3] = 10 * features[i * F + 3]!;
    const eraser = fitGroupEraser(features, F, codes);
    const k = eraser.writer.length / F;
    // Within each of two diagnoses: one direction for sex's two groups, four for five sites.
    expect(k).toBe(10);
    const row = (r: number) => eraser.writer.subarray(r * F, (r + 1) * F);
    const column = (q: number) => Float32Array.from({ length: F }, (_, f) => eraser.reader[f * k + q]!);
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, v, f) => s + v * b[f]!, 0);
    for (let r = 0; r < k; r += 1)
      for (let q = 0; q < k; q += 1) {
        expect(dot(row(r), row(q))).toBeCloseTo(r === q ? 1 : 0, 5);
        expect(dot(row(r), column(q))).toBeCloseTo(r === q ? 1 : 0, 4);
      }
    const reading = (f: number) => Math.max(...Array.from({ length: k }, (_, q) => Math.abs(eraser.reader[f * k + q]!)));
    // Its noise offsets are ten times larger too, and are read a hundred times more weakly.
    expect(reading(3)).toBeLessThan(reading(1) / 5);
    const values = tf.tensor2d(features, [N, F]);
    const once = eraseGroups(eraser, values);
    const twice = eraseGroups(eraser, once);
    const mean = eraseGroups(eraser, tf.tensor2d(eraser.mean, [1, F]));
    expect(Math.max(...Array.from(tf.sub(twice, once).abs().dataSync()))).toBeLessThan(1e-3);
    Array.from(mean.dataSync()).forEach((v, f) => expect(v).toBeCloseTo(eraser.mean[f]!, 4));
    tf.dispose([values, once, twice, mean]);
  });

  it('has nothing to erase when no diagnosis has two groups, and then returns the values as they are', () => {
    const { features, codes } = cohort();
    const eraser = fitGroupEraser(features, F, [codes[0]!, new Int32Array(N)]);
    expect(eraser.writer).toHaveLength(0);
    const values = tf.tensor2d(features, [N, F]);
    expect(eraseGroups(eraser, values)).toBe(values);
    values.dispose();
  });

  it('erases the directions along which the features follow a covariate within each diagnosis, and keeps the diagnosis', () => {
    const { features, codes } = cohort();
    const random = new SeededRandom(5);
    // Motion: higher in patients, written into features 4 and 5 within each diagnosis; unknown for subject 9.
    const motion = Float64Array.from({ length: N }, (_, i) => (i === 9 ? Number.NaN : 0.1 + 0.05 * codes[0]![i]! + 0.03 * random.normal()));
    for (let i = 0; i < N; i += 1)
      if (i !== 9) {
        features[i * F + 4] = features[i * F + 4]! + 30 * motion[i]!;
        features[i * F + 5] = features[i * F + 5]! - 20 * motion[i]!;
      }
    /** Per diagnosis, the largest covariance of any feature with motion over the subjects with a value. */
    const largestCovariance = (values: Float32Array) =>
      [0, 1].map((c) => {
        const rows = Array.from({ length: N }, (_, i) => i).filter((i) => codes[0]![i] === c && i !== 9);
        const m = rows.reduce((s, i) => s + motion[i]!, 0) / rows.length;
        return Math.max(
          ...Array.from({ length: F }, (_, f) => {
            const x = rows.reduce((s, i) => s + values[i * F + f]!, 0) / rows.length;
            return Math.abs(rows.reduce((s, i) => s + (values[i * F + f]! - x) * (motion[i]! - m), 0) / rows.length);
          }),
        );
      });
    const eraser = fitGroupEraser(features, F, [codes[0]!], [motion]);
    expect(eraser.writer.length / F).toBe(2);
    const erased = tf.tidy(() => Float32Array.from(eraseGroups(eraser, tf.tensor2d(features, [N, F])).dataSync()));
    largestCovariance(features).forEach((v) => expect(v).toBeGreaterThan(0.01));
    largestCovariance(erased).forEach((v) => expect(v).toBeLessThan(1e-5));
    const patients = meanOf(erased, (i) => codes[0]![i] === 1);
    const controls = meanOf(erased, (i) => codes[0]![i] === 0);
    expect(patients[0]! - controls[0]!).toBeGreaterThan(1);
    // With sex as well, both are erased: one direction per diagnosis for each.
    expect(fitGroupEraser(features, F, [codes[0]!, codes[1]!], [motion]).writer.length / F).toBe(4);
  });
});
