import { describe, expect, it } from 'vitest';
import { centreGroupLogOdds } from './unseenSiteCentring';

const logOdds = (p: number): number => Math.log(p / (1 - p));
const meanLogOdds = (values: Float32Array, rows: number[]): number => rows.reduce((sum, i) => sum + logOdds(values[i]!), 0) / rows.length;

describe('centring unseen groups on the training share', () => {
  it("moves each group's mean log-odds to the share's, keeps the order within it, and leaves group -1 alone", () => {
    const probability = Float32Array.from([0.9, 0.8, 0.95, 0.1, 0.3, 0.2, 0.6]);
    const groups = Int32Array.from([0, 0, 0, 1, 1, 1, -1]);
    const centred = centreGroupLogOdds(probability, groups, 0.4);
    expect(meanLogOdds(centred, [0, 1, 2])).toBeCloseTo(logOdds(0.4), 5);
    expect(meanLogOdds(centred, [3, 4, 5])).toBeCloseTo(logOdds(0.4), 5);
    expect(centred[6]).toBe(probability[6]);
    // A shift of the log-odds: differences within a group are kept.
    expect(logOdds(centred[2]!) - logOdds(centred[1]!)).toBeCloseTo(logOdds(0.95) - logOdds(0.8), 4);
    expect(logOdds(centred[4]!) - logOdds(centred[3]!)).toBeCloseTo(logOdds(0.3) - logOdds(0.1), 4);
    expect(centred[0]! < probability[0]! && centred[3]! > probability[3]!).toBe(true);
  });

  it('stays finite for probabilities of exactly 0 and 1', () => {
    const centred = centreGroupLogOdds(Float32Array.from([0, 1, 0.5]), Int32Array.from([0, 0, 0]), 0.5);
    for (const p of centred) expect(p > 0 && p < 1).toBe(true);
    expect(centred[2]).toBeCloseTo(0.5, 5);
  });
});
