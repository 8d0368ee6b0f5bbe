import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import { connectomeBasis } from './connectomeBasis';

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('the connectome token basis', () => {
  it('turns the training subjects edges into uncorrelated component scores of decreasing variance, 1 on average, at most n - 1 of them', () => {
    const random = new SeededRandom(2);
    const e = 300;
    const subjects = 40;
    const edges = Float32Array.from({ length: subjects * e }, () => random.normal());
    const fit = Array.from({ length: 30 }, (_, i) => i + 5);
    const { values, components } = connectomeBasis(edges, e, fit, 8);
    expect(components).toBe(8);
    expect(values).toHaveLength(e * 8);
    const scores = fit.map((s) =>
      Array.from({ length: 8 }, (_, c) => {
        let sum = 0;
        for (let j = 0; j < e; j += 1) sum += edges[s * e + j]! * values[j * 8 + c]!;
        return sum;
      }),
    );
    const mean = (c: number): number => scores.reduce((a, row) => a + row[c]!, 0) / fit.length;
    const covariance = (c: number, m: number): number =>
      scores.reduce((a, row) => a + (row[c]! - mean(c)) * (row[m]! - mean(m)), 0) / fit.length;
    for (let c = 0; c < 8; c += 1) for (let m = 0; m < c; m += 1) expect(covariance(c, m)).toBeCloseTo(0, 3);
    for (let c = 1; c < 8; c += 1) expect(covariance(c, c)).toBeLessThan(covariance(c - 1, c - 1));
    expect(Array.from({ length: 8 }, (_, c) => covariance(c, c)).reduce((a, b) => a + b, 0) / 8).toBeCloseTo(1, 4);
    expect(connectomeBasis(edges, e, fit, 100).components).toBe(29);
  });
});
