import { describe, expect, it } from 'vitest';
import { confoundChecks, MIN_CONFOUND_SUBJECTS } from './confounds';
import type { StoredPrediction } from './storedPredictions';

function subject(patient: 0 | 1, score: number, meanFd: number, age: number | null): StoredPrediction {
  return {
    subject: `s${score}`,
    fold: 0,
    score,
    predicted: score > 0.5 ? 'autism' : 'control',
    diagnosis: patient ? 'autism' : 'control',
    patient,
    phenotype: { age },
    qc: { meanFd, timePoints: 150 },
  };
}

describe('confoundChecks', () => {
  // Controls' scores rise with their motion; patients' fall with it; patients have no age.
  const controls = Array.from({ length: 20 }, (_, i) => subject(0, 0.2 + i / 100, 0.1 + i / 50, 20 + (i % 7)));
  const patients = Array.from({ length: 12 }, (_, i) => subject(1, 0.9 - i / 100, 0.2 + i / 40, null));
  const [motion, age, length] = confoundChecks([...controls, ...patients], ['controls (control)', 'patients (autism)']);

  it('correlates the patient probability with each variable within each diagnosis class', () => {
    expect(motion!.variable).toBe('meanFd');
    expect(motion!.groups.map((g) => [g.group, g.n])).toEqual([
      ['controls (control)', 20],
      ['patients (autism)', 12],
    ]);
    expect(motion!.groups[0]!.rho).toBeCloseTo(1, 12);
    expect(motion!.groups[1]!.rho).toBeCloseTo(-1, 12);
    // No shuffle of 20 ranks matches a perfect correlation: the smallest p 2000 permutations give.
    expect(motion!.groups[0]!.p).toBeCloseTo(1 / 2001, 12);
    expect(motion!.groups[0]!.mean).toBeCloseTo(0.1 + 19 / 100, 12);
  });

  it('gives no correlation for a class without values or with a constant one, and only the mean for a small class', () => {
    expect(age!.groups[1]).toEqual({ group: 'patients (autism)', n: 0, mean: null, rho: null, p: null, pHolm: null });
    expect(age!.groups[0]!.rho).not.toBeNull();
    expect(length!.groups[0]).toEqual({ group: 'controls (control)', n: 20, mean: 150, rho: null, p: null, pHolm: null });
    const few = confoundChecks(controls.slice(0, MIN_CONFOUND_SUBJECTS - 1), ['c', 'p'])[0]!.groups[0]!;
    expect(few).toMatchObject({ n: MIN_CONFOUND_SUBJECTS - 1, rho: null, p: null, pHolm: null });
    expect(few.mean).not.toBeNull();
  });

  it('adjusts every p by Holm over the tests made, leaving out the classes without one', () => {
    const tested = [motion!, age!, length!].flatMap((check) => check.groups).filter((group) => group.p !== null);
    // Motion in both classes and age in the controls: three tests.
    expect(tested).toHaveLength(3);
    const sorted = [...tested].sort((a, b) => a.p! - b.p!);
    sorted.forEach((group, k) => {
      expect(group.pHolm).toBeGreaterThanOrEqual(Math.min(1, (3 - k) * group.p!) - 1e-12);
      expect(group.pHolm).toBeLessThanOrEqual(1);
    });
    expect(sorted[0]!.pHolm).toBeCloseTo(3 * sorted[0]!.p!, 12);
  });
});
