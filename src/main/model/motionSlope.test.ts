import { describe, expect, it } from 'vitest';
import { fitMotionSlope, MIN_MOTION_SUBJECTS, motionShift } from './motionSlope';

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
});
