import { describe, expect, it } from 'vitest';
import { secondsLeft, timeLeftText } from './timeLeft';

describe('secondsLeft', () => {
  it('extrapolates the time the done fraction took', () => {
    expect(secondsLeft(30, 0.25)).toBe(90);
    expect(secondsLeft(30, 1)).toBe(0);
  });

  it('counts only what was done since the clock started: a resumed run’s stored part is not its speed', () => {
    // 60 % was stored before; 10 % more took 30 s, so the other 30 % take 90 s.
    expect(secondsLeft(30, 0.7, 0.6)).toBeCloseTo(90, 9);
    expect(secondsLeft(1, 0.61, 0.6)).toBeNull();
  });

  it('says nothing before 2 % is done, or without a fraction', () => {
    expect(secondsLeft(5, 0.01)).toBeNull();
    expect(secondsLeft(5, null)).toBeNull();
  });
});

describe('timeLeftText', () => {
  it('uses seconds, then minutes, then hours and minutes', () => {
    expect(timeLeftText(null)).toBe('');
    expect(timeLeftText(40.2)).toBe('about 41 s left');
    expect(timeLeftText(60)).toBe('about 1 min left');
    expect(timeLeftText(89 * 60)).toBe('about 89 min left');
    expect(timeLeftText(90 * 60)).toBe('about 1 h 30 min left');
    expect(timeLeftText(2 * 3600 + 4 * 60 + 1)).toBe('about 2 h 05 min left');
  });
});
