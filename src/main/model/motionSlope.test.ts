import { describe, expect, it } from 'vitest';
import { fitMotionAdjustment, fitMotionSlope, groupMotionOffsets, MIN_MOTION_SUBJECTS, motionShift, motionShifts } from './motionSlope';

describe('motion slope', () => {
  it('is the within-diagnosis slope: a patient-control gap in motion does not enter it', () => {
    const dx = Array.from({ length: 40 }, (_, i) => i % 2);
    // Patients move 0.2 mm more and score 5 higher; within each group the score rises 3 per mm.
    const motion = dx.map((d, i) => 0.1 + 0.2 * d + 0.01 * (i % 7));
    const scores = dx.map((d, i) => 5 * d + 3 * motion[i]!);
    const fitted = fitMotionSlope(scores, dx, motion);
    expect(fitted.slope).toBeCloseTo(3, 10);
    expect(fitted.centre).toBeCloseTo(motion.reduce((a, b) => a + b, 0) / motion.length, 12);
    expect(motionShift(fitted, fitted.centre + 0.1)).toBeCloseTo(-0.3, 10);
    expect(motionShift(fitted, Number.NaN)).toBe(0);
  });

  it('leaves out subjects without motion, and is 0 when a diagnosis has too few or no spread', () => {
    const dx = Array.from({ length: 20 }, (_, i) => i % 2);
    const motion = dx.map((_, i) => (i === 3 ? Number.NaN : 0.1 + 0.01 * i));
    const scores = dx.map((_, i) => (i === 3 ? 1000 : -2 * motion[i]!));
    expect(fitMotionSlope(scores, dx, motion).slope).toBeCloseTo(-2, 10);
    const fewPatients = dx.map((d, i) => (d === 1 && i >= 2 * (MIN_MOTION_SUBJECTS - 1) ? Number.NaN : motion[i]!));
    expect(fitMotionSlope(scores, dx, fewPatients).slope).toBe(0);
    expect(
      fitMotionSlope(
        scores,
        dx,
        dx.map(() => 0.2),
      ).slope,
    ).toBe(0);
  });

  it("is fitted within the offsets' groups once motion is moved by their motion offsets", () => {
    // Two sites of 20 controls and 20 patients; site 1 moves 0.2 mm more. The scores' site means are
    // already equal (the readout offsets' work) and within each site they rise 3 per mm.
    const dx = Array.from({ length: 80 }, (_, i) => i % 2);
    const site = Int32Array.from(dx, (_, i) => (i < 40 ? 0 : 1));
    const motion = dx.map((d, i) => (i === 7 || i === 47 ? Number.NaN : 0.1 + 0.2 * site[i]! + 0.05 * d + 0.01 * (Math.floor(i / 2) % 10)));
    const cellMean = (i: number) => {
      const cell = motion.filter((m, j) => Number.isFinite(m) && site[j] === site[i] && dx[j] === dx[i]);
      return cell.reduce((a, b) => a + b, 0) / cell.length;
    };
    const scores = dx.map((d, i) => (Number.isFinite(motion[i]!) ? 5 * d + 3 * (motion[i]! - cellMean(i)) : 0));
    expect(fitMotionSlope(scores, dx, motion).slope).toBeLessThan(1.5);
    const [offsets] = groupMotionOffsets(motion, dx, [site], [2]);
    expect(offsets![0]! - offsets![1]!).toBeCloseTo(0.2, 5);
    const moved = motion.map((m, i) => m + offsets![site[i]!]!);
    expect(fitMotionSlope(scores, dx, moved).slope).toBeCloseTo(3, 4);
  });

  it("measures each subject's motion from its groups' mean motion, and shifts the log-odds by the slope on that", () => {
    // Codes: diagnosis, sex (site 0 of 2) and site; the scores follow motion within each site, whose
    // second site moves 0.2 mm more.
    const n = 80;
    const dx = Int32Array.from({ length: n }, (_, i) => i % 2);
    const sex = Int32Array.from({ length: n }, (_, i) => (i % 3 === 0 ? 0 : 1));
    const site = Int32Array.from({ length: n }, (_, i) => (i === 9 ? -1 : i < 40 ? 0 : 1));
    const codes = [dx, sex, site];
    const motion = Float64Array.from(dx, (d, i) => 0.1 + 0.2 * Math.max(site[i]!, 0) + 0.05 * d + 0.003 * ((i * 7) % 11));
    const [offsets] = groupMotionOffsets(motion, dx, [site], [2]);
    const scores = Float64Array.from(dx, (d, i) => 2 * d + 4 * (motion[i]! + (site[i]! >= 0 ? offsets![site[i]!]! : 0)));
    const adjustment = fitMotionAdjustment(scores, codes, motion, [2], [2]);
    expect(adjustment.attributes).toEqual([2]);
    expect(Array.from(adjustment.offsets[0]!)).toEqual(Array.from(offsets!));
    expect(adjustment.slope).toBeCloseTo(4, 4);
    const shifts = motionShifts(adjustment, motion, codes);
    dx.forEach((_, i) => {
      const moved = motion[i]! + (site[i]! >= 0 ? offsets![site[i]!]! : 0);
      expect(shifts[i]).toBeCloseTo(-4 * (moved - adjustment.centre), 4);
    });
    expect(
      motionShifts(
        adjustment,
        [Number.NaN],
        [[1], [0], [1]].map((c) => Int32Array.from(c)),
      )[0],
    ).toBe(0);
  });
});
