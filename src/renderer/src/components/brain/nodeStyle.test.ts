import { describe, expect, it } from 'vitest';
import { colourAt, cssGradient } from './colourMaps';
import { MAX_RADIUS_MM, MIN_RADIUS_MM, nodeStyle, normalise, valueRange } from './nodeStyle';

describe('colour and size mapping', () => {
  it('interpolates between colour-map stops and clamps outside [0, 1]', () => {
    expect(colourAt('hot', 0)).toEqual([0.0416, 0, 0]);
    expect(colourAt('hot', 1)).toEqual([1, 1, 1]);
    expect(colourAt('hot', 2)).toEqual([1, 1, 1]);
    expect(colourAt('hot', Number.NaN)).toEqual([0.0416, 0, 0]);
    // hot has 7 stops: t = 0.25 lies halfway between stop 1 [0.5, 0, 0] and stop 2 [1, 0, 0].
    expect(colourAt('hot', 0.25)).toEqual([0.75, 0, 0]);
    expect(cssGradient('coolwarm')).toMatch(/^linear-gradient\(to right, rgb\(59, 76, 192\) 0\.0%, .* rgb\(180, 4, 38\) 100\.0%\)$/);
  });

  it('spans the finite values, symmetrically around 0 for a signed map', () => {
    expect(valueRange([0.2, 0.5, Number.NaN, 0.3])).toEqual({ min: 0.2, max: 0.5, signed: false });
    expect(valueRange([-0.1, 0.4, 0])).toEqual({ min: -0.4, max: 0.4, signed: true });
    expect(valueRange([])).toEqual({ min: 0, max: 1, signed: false });
    expect(normalise(0.35, { min: 0.2, max: 0.5, signed: false })).toBeCloseTo(0.5, 12);
    expect(normalise(7, { min: 7, max: 7, signed: false })).toBe(0.5);
  });

  it('sizes nodes by strength: from the low end, or from 0 for a signed map', () => {
    const range = { min: 0, max: 10, signed: false };
    expect(nodeStyle(0, range, 'viridis').radius).toBe(MIN_RADIUS_MM);
    expect(nodeStyle(10, range, 'viridis').radius).toBe(MAX_RADIUS_MM);
    expect(nodeStyle(10, range, 'viridis').colour).toEqual(colourAt('viridis', 1));
    const signed = { min: -2, max: 2, signed: true };
    expect(nodeStyle(0, signed, 'coolwarm').radius).toBe(MIN_RADIUS_MM);
    expect(nodeStyle(-2, signed, 'coolwarm').radius).toBe(MAX_RADIUS_MM);
    expect(nodeStyle(2, signed, 'coolwarm').radius).toBe(MAX_RADIUS_MM);
    expect(nodeStyle(-2, signed, 'coolwarm').colour).toEqual(colourAt('coolwarm', 0));
  });
});
