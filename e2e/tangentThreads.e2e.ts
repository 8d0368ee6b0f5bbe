import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../src/main/synth/random';
import { tangentConnectivity } from '../src/main/train/tangentConnectivity';
import { tangentInParallel } from '../src/main/train/tangentInParallel';

/** Fisher-z matrices of `n` subjects' random time series over `rois` regions ([N, R, R]). */
function cohort(n: number, rois: number, points: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  const fc = new Float32Array(n * rois * rois);
  for (let s = 0; s < n; s += 1) {
    const series = Array.from({ length: rois }, () => Array.from({ length: points }, () => random.normal()));
    for (const row of series) {
      const mean = row.reduce((a, b) => a + b, 0) / points;
      const sd = Math.sqrt(row.reduce((a, v) => a + (v - mean) ** 2, 0) / points);
      row.forEach((v, t) => (row[t] = (v - mean) / sd));
    }
    for (let i = 0; i < rois; i += 1)
      for (let j = 0; j < rois; j += 1) {
        const r = series[i]!.reduce((a, v, t) => a + v * series[j]![t]!, 0) / points;
        fc[s * rois * rois + i * rois + j] = i === j ? 0 : Math.atanh(Math.min(r, 0.999));
      }
  }
  return fc;
}

/** The built worker (out/main/tangentWorker.js) against the in-process computation the unit tests cover. */
describe('tangent-space inputs on worker threads', () => {
  it('equal the in-process values to the bit, for every subject and block boundary', async () => {
    const rois = 12;
    const fc = cohort(37, rois, 40, 3);
    const reference = [0, 2, 3, 5, 8, 13, 21, 34];
    const inProcess = tangentConnectivity(fc, rois, reference);
    const script = resolve('out/main/tangentWorker.js');
    for (const threads of [2, 3, 4]) expect(await tangentInParallel(fc, rois, reference, script, threads)).toEqual(inProcess);
  });

  it('fails with the reason when a thread cannot compute its block', async () => {
    const fc = cohort(20, 6, 30, 4);
    const missing = resolve('out/main/noSuchWorker.js');
    await expect(tangentInParallel(fc, 6, [0, 1, 2], missing, 2)).rejects.toThrow(/noSuchWorker/);
  });
});
