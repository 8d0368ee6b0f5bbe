import { colourAt, type ColourMapName } from './colourMaps';

/** The value range a colour bar spans. Signed maps (the contrast) are symmetric around 0. */
export interface ValueRange {
  min: number;
  max: number;
  signed: boolean;
}

/** The range of a map's finite values; a map with negative and positive values gets a symmetric signed range. */
export function valueRange(values: ArrayLike<number>): ValueRange {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  if (min === Infinity) return { min: 0, max: 1, signed: false };
  if (min < 0 && max > 0) {
    const bound = Math.max(-min, max);
    return { min: -bound, max: bound, signed: true };
  }
  return { min, max, signed: false };
}

/** Where a value lies in the range, 0 at min and 1 at max (0.5 for a flat map). */
export function normalise(value: number, range: ValueRange): number {
  if (range.max === range.min) return 0.5;
  return Math.min(1, Math.max(0, (value - range.min) / (range.max - range.min)));
}

export interface NodeStyle {
  /** RGB in [0, 1]. */
  colour: [number, number, number];
  /** Sphere radius in millimetres. */
  radius: number;
}

export const MIN_RADIUS_MM = 1.5;
export const MAX_RADIUS_MM = 6;

/**
 * A node's colour (from the colour map, over the range) and size: the radius grows with the value's
 * strength, that is its distance from the range's low end, or from 0 for a signed map.
 */
export function nodeStyle(value: number, range: ValueRange, map: ColourMapName): NodeStyle {
  const t = normalise(value, range);
  const strength = range.signed ? Math.abs(t - 0.5) * 2 : t;
  return { colour: colourAt(map, t), radius: MIN_RADIUS_MM + (MAX_RADIUS_MM - MIN_RADIUS_MM) * strength };
}
