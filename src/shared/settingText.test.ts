import { describe, expect, it } from 'vitest';
import { namesInWords, settingsInUse, settingText, validationAucLabel } from './settingText';

describe('namesInWords', () => {
  it('lists one, two and three names as a sentence does', () => {
    expect(namesInWords([])).toBe('');
    expect(namesInWords(['sex'])).toBe('sex');
    expect(namesInWords(['sex', 'site'])).toBe('sex and site');
    expect(namesInWords(['sex', 'site', 'ageGroup'])).toBe('sex, site and ageGroup');
  });
});

describe('settingText', () => {
  it('writes plain values and lists as they read, and a mixed ensemble member by member', () => {
    expect(settingText(0.001)).toBe('0.001');
    expect(settingText(['sex', 'site'])).toBe('sex, site');
    expect(settingText([])).toBe('none');
    expect(settingText([{}, { learningRate: 0.0001, connectomeOptimiser: 'converged', connectomePenalty: 3 }])).toBe(
      'member 1: as the run; member 2: learningRate 0.0001, connectomeOptimiser converged, connectomePenalty 3',
    );
    expect(settingText({ a: 1 })).toBe('{"a":1}');
  });
});

describe('settingsInUse', () => {
  it('keeps what logistic regression reads of its stored configuration, and every setting of the networks', () => {
    const stored = {
      variant: 'logreg-fc',
      d: 64,
      heads: 4,
      connectomeMeasure: 'tangent',
      motionAdjustment: true,
      sensitive: ['sex'],
      seed: 3,
      protocol: 'kfold5',
    };
    expect(settingsInUse(stored).map(([key]) => key)).toEqual([
      'variant',
      'connectomeMeasure',
      'motionAdjustment',
      'sensitive',
      'seed',
      'protocol',
    ]);
    expect(settingsInUse({ ...stored, variant: 'neurolip' })).toHaveLength(8);
  });
});

describe('validationAucLabel', () => {
  it("calls logistic regression's fold AUC what it is, the inner cross-validation's", () => {
    expect(validationAucLabel('logreg-fc')).toBe('inner-CV AUC');
    expect(validationAucLabel('neurolip')).toBe('validation AUC');
  });
});
