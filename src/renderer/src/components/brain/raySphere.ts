type Vec3 = readonly [number, number, number];

/** A sphere to pick: centre and radius in the same units as the ray. */
export interface PickableSphere {
  position: Vec3;
  radius: number;
}

/**
 * The distance along a ray (origin, unit direction) to where it first enters a sphere, or null if
 * it misses the sphere or the sphere lies behind the origin. A ray starting inside the sphere hits
 * it at distance 0.
 */
export function raySphereDistance(origin: Vec3, direction: Vec3, sphere: PickableSphere): number | null {
  const [ox, oy, oz] = [origin[0] - sphere.position[0], origin[1] - sphere.position[1], origin[2] - sphere.position[2]];
  const b = ox * direction[0] + oy * direction[1] + oz * direction[2];
  const c = ox * ox + oy * oy + oz * oz - sphere.radius * sphere.radius;
  if (c <= 0) return 0;
  const discriminant = b * b - c;
  if (b > 0 || discriminant < 0) return null;
  return -b - Math.sqrt(discriminant);
}

/** The index of the sphere a ray (origin, unit direction) hits first, or null if it hits none. */
export function nearestSphereHit(origin: Vec3, direction: Vec3, spheres: readonly PickableSphere[]): number | null {
  let nearest: number | null = null;
  let nearestDistance = Infinity;
  spheres.forEach((sphere, i) => {
    const distance = raySphereDistance(origin, direction, sphere);
    if (distance !== null && distance < nearestDistance) {
      nearest = i;
      nearestDistance = distance;
    }
  });
  return nearest;
}
