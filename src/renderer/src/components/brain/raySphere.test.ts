import { describe, expect, it } from 'vitest';
import { nearestSphereHit, raySphereDistance } from './raySphere';

describe('picking ROI spheres with a ray', () => {
  const down: [number, number, number] = [0, 0, -1];

  it('measures the distance to where the ray enters a sphere', () => {
    expect(raySphereDistance([0, 0, 100], down, { position: [0, 0, 0], radius: 5 })).toBe(95);
    // Off the axis by 3 of a radius 5: enters 4 above the centre's plane.
    expect(raySphereDistance([3, 0, 100], down, { position: [0, 0, 0], radius: 5 })).toBeCloseTo(96, 12);
    expect(raySphereDistance([0, 0, 1], down, { position: [0, 0, 0], radius: 5 })).toBe(0);
  });

  it('misses spheres beside the ray and behind its origin', () => {
    expect(raySphereDistance([5.01, 0, 100], down, { position: [0, 0, 0], radius: 5 })).toBeNull();
    expect(raySphereDistance([0, 0, -100], down, { position: [0, 0, 0], radius: 5 })).toBeNull();
  });

  it('picks the nearest of the spheres the ray passes through', () => {
    const spheres = [
      { position: [0, 0, 0] as const, radius: 2 },
      { position: [0.5, 0, 20] as const, radius: 1 },
      { position: [0, 10, 40] as const, radius: 3 },
      { position: [0, 0, 200] as const, radius: 3 },
    ];
    expect(nearestSphereHit([0, 0, 100], down, spheres)).toBe(1);
    expect(nearestSphereHit([0, 9, 100], down, spheres)).toBe(2);
    expect(nearestSphereHit([0, 5, 100], down, spheres)).toBeNull();
    expect(nearestSphereHit([0, 0, 100], down, [])).toBeNull();
  });
});
