import { describe, expect, it } from 'vitest';
import { namesInWords } from './settingText';

describe('namesInWords', () => {
  it('lists one, two and three names as a sentence does', () => {
    expect(namesInWords([])).toBe('');
    expect(namesInWords(['sex'])).toBe('sex');
    expect(namesInWords(['sex', 'site'])).toBe('sex and site');
    expect(namesInWords(['sex', 'site', 'ageGroup'])).toBe('sex, site and ageGroup');
  });
});
