import { describe, expect, it } from 'vitest';
import { fisherZConnectivity } from '../cohort/connectivity';
import { SeededRandom } from '../synth/random';
import { MIN_WINDOW_POINTS, windowConnectivity, windowLength } from './timeWindows';

const R = 5;

function series(timePoints: number): { timePoints: number; values: Float32Array } {
  const random = new SeededRandom(3);
  return { timePoints, values: Float32Array.from({ length: timePoints * R }, () => random.normal()) };
}

describe('time windows', () => {
  it('takes the share of the scan, at least MIN_WINDOW_POINTS, never more than the scan', () => {
    expect(windowLength(200, 0.5)).toBe(100);
    expect(windowLength(30, 0.5)).toBe(MIN_WINDOW_POINTS);
    expect(windowLength(10, 0.5)).toBe(10);
    expect(windowLength(200, 1)).toBe(200);
  });

  it('is the whole scan at share 1 and otherwise the connectivity of the window the seeded draw starts', () => {
    const scan = series(120);
    const whole = fisherZConnectivity(Float64Array.from(scan.values), 120, R).matrix;
    expect(Array.from(windowConnectivity(scan, R, 1, new SeededRandom(1)))).toEqual(Array.from(whole));

    const draws = new SeededRandom(8);
    const starts = new Set<number>();
    for (let k = 0; k < 20; k += 1) {
      const start = draws.int(120 - 60 + 1);
      starts.add(start);
      const expected = fisherZConnectivity(Float64Array.from(scan.values.subarray(start * R, (start + 60) * R)), 60, R).matrix;
      const random = new SeededRandom(8);
      for (let j = 0; j < k; j += 1) random.int(61);
      expect(Array.from(windowConnectivity(scan, R, 0.5, random))).toEqual(Array.from(expected));
    }
    expect(starts.size).toBeGreaterThan(10);
  });
});
