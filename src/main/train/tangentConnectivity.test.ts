import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { TANGENT_SHRINKAGE } from '../../shared/trainDefaults';
import { tangentConnectivity } from './tangentConnectivity';

/** N subjects' R x R Fisher-z matrices: symmetric, diagonal 0, from random time series of T points. */
function randomFisherZ(random: SeededRandom, subjects: number, rois: number, timePoints: number): Float32Array {
  const out = new Float32Array(subjects * rois * rois);
  for (let s = 0; s < subjects; s += 1) {
    const series = Array.from({ length: rois }, () => Array.from({ length: timePoints }, () => random.normal()));
    // A shared signal in the first two regions, so the matrices differ in more than noise.
    for (let t = 0; t < timePoints; t += 1) series[1]![t]! += series[0]![t]! * (s % 3);
    const centred = series.map((x) => {
      const mean = x.reduce((a, b) => a + b, 0) / timePoints;
      const shifted = x.map((v) => v - mean);
      const norm = Math.sqrt(shifted.reduce((a, b) => a + b * b, 0));
      return shifted.map((v) => v / norm);
    });
    for (let i = 0; i < rois; i += 1)
      for (let j = 0; j < rois; j += 1) {
        if (i === j) continue;
        const r = centred[i]!.reduce((a, v, t) => a + v * centred[j]![t]!, 0);
        out[(s * rois + i) * rois + j] = Math.atanh(Math.min(0.999, Math.max(-0.999, r)));
      }
  }
  return out;
}

describe('tangent-space connectivity', () => {
  it('is the matrix logarithm when the reference mean is the identity: atanh of the shrunk correlation for two regions', () => {
    const rois = 2;
    // Subjects 0 and 1 are uncorrelated (the reference, mean I); subject 2 has r = 0.6, subject 3 r = -0.3.
    const fc = new Float32Array([0, 0, 0, 0, 0, 0, 0, 0, 0, Math.atanh(0.6), Math.atanh(0.6), 0, 0, Math.atanh(-0.3), Math.atanh(-0.3), 0]);
    const tangent = tangentConnectivity(fc, rois, [0, 1]);
    // log of [[1, a], [a, 1]] has a off-diagonal of atanh(a) and a diagonal of log(1 - a^2) / 2.
    for (const [s, r] of [
      [2, 0.6],
      [3, -0.3],
    ] as const) {
      const a = (1 - TANGENT_SHRINKAGE) * r;
      expect(tangent[s * 4 + 1]).toBeCloseTo(Math.atanh(a), 5);
      expect(tangent[s * 4 + 2]).toBeCloseTo(Math.atanh(a), 5);
      expect(tangent[s * 4]).toBeCloseTo(Math.log(1 - a * a) / 2, 5);
    }
    expect(Array.from(tangent.subarray(0, 8)).every((v) => Math.abs(v) < 1e-6)).toBe(true);
  });

  it('puts a subject equal to every reference subject at the origin, and reads nothing but the reference subjects', () => {
    const random = new SeededRandom(4);
    const rois = 12;
    const size = rois * rois;
    const fc = randomFisherZ(random, 6, rois, 40);
    const same = new Float32Array(3 * size);
    for (let s = 0; s < 3; s += 1) same.set(fc.subarray(0, size), s * size);
    expect(Array.from(tangentConnectivity(same, rois, [0, 1])).every((v) => Math.abs(v) < 1e-5)).toBe(true);

    const tangent = tangentConnectivity(fc, rois, [0, 1, 2, 3]);
    const changed = Float32Array.from(fc);
    for (let k = 5 * size; k < 6 * size; k += 1) changed[k] = fc[k]! * 0.5;
    const again = tangentConnectivity(changed, rois, [0, 1, 2, 3]);
    expect(Array.from(again.subarray(0, 5 * size))).toEqual(Array.from(tangent.subarray(0, 5 * size)));
    expect(Array.from(again.subarray(5 * size))).not.toEqual(Array.from(tangent.subarray(5 * size)));
    for (let s = 0; s < 6; s += 1)
      for (let i = 0; i < rois; i += 1)
        for (let j = 0; j < i; j += 1) expect(tangent[s * size + i * rois + j]).toBe(tangent[s * size + j * rois + i]);
  });

  it('keeps a masked region (all its correlations 0) finite', () => {
    const random = new SeededRandom(5);
    const rois = 8;
    const fc = randomFisherZ(random, 4, rois, 10);
    for (let s = 0; s < 4; s += 1)
      for (let j = 0; j < rois; j += 1) {
        fc[s * rois * rois + 3 * rois + j] = 0;
        fc[s * rois * rois + j * rois + 3] = 0;
      }
    expect(Array.from(tangentConnectivity(fc, rois, [0, 1, 2])).every(Number.isFinite)).toBe(true);
  });

  it('keeps values finite for matrices that are not correlation matrices of one scan (not positive semi-definite)', () => {
    const rois = 3;
    // r = 0.99, 0.99 and -0.99: no three signals correlate so.
    const z = Math.atanh(0.99);
    const one = [0, z, z, z, 0, -z, z, -z, 0];
    const fc = new Float32Array([...one, ...one.map(() => 0)]);
    const tangent = tangentConnectivity(fc, rois, [0, 1]);
    expect(Array.from(tangent).every(Number.isFinite)).toBe(true);
    expect(Math.max(...Array.from(tangent).map(Math.abs))).toBeLessThan(10);
  });

  it('refuses values that are not whole matrices, or no reference subjects', () => {
    expect(() => tangentConnectivity(new Float32Array(10), 3, [0])).toThrow('not whole 3 x 3 matrices');
    expect(() => tangentConnectivity(new Float32Array(9), 3, [])).toThrow('no reference subjects');
  });
});
