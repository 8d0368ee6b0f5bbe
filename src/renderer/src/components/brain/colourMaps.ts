/** Colour maps for attention values, as evenly spaced RGB stops (0-1), sampled from matplotlib's definitions. */
export const COLOUR_MAPS = {
  viridis: [
    [0.267, 0.005, 0.329],
    [0.283, 0.141, 0.458],
    [0.254, 0.265, 0.53],
    [0.207, 0.372, 0.553],
    [0.164, 0.471, 0.558],
    [0.128, 0.567, 0.551],
    [0.135, 0.659, 0.518],
    [0.267, 0.749, 0.441],
    [0.478, 0.821, 0.318],
    [0.741, 0.873, 0.15],
    [0.993, 0.906, 0.144],
  ],
  hot: [
    [0.0416, 0, 0],
    [0.5, 0, 0],
    [1, 0, 0],
    [1, 0.5, 0],
    [1, 1, 0],
    [1, 1, 0.5],
    [1, 1, 1],
  ],
  plasma: [
    [0.05, 0.03, 0.528],
    [0.294, 0.012, 0.631],
    [0.492, 0.012, 0.658],
    [0.665, 0.139, 0.586],
    [0.798, 0.28, 0.47],
    [0.899, 0.396, 0.363],
    [0.973, 0.539, 0.254],
    [0.994, 0.709, 0.15],
    [0.94, 0.975, 0.131],
  ],
  coolwarm: [
    [0.23, 0.299, 0.754],
    [0.406, 0.537, 0.934],
    [0.602, 0.731, 0.999],
    [0.788, 0.845, 0.939],
    [0.865, 0.865, 0.865],
    [0.961, 0.779, 0.693],
    [0.969, 0.606, 0.479],
    [0.887, 0.392, 0.31],
    [0.706, 0.016, 0.15],
  ],
} satisfies Record<string, [number, number, number][]>;

export type ColourMapName = keyof typeof COLOUR_MAPS;

/** The colour at t in [0, 1] (clamped), interpolated linearly between stops. */
export function colourAt(map: ColourMapName, t: number): [number, number, number] {
  const stops = COLOUR_MAPS[map];
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const [a, b] = [stops[i]!, stops[i + 1]!];
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
}

/** A CSS linear-gradient of a colour map, left (low) to right (high), for the colour bar. */
export function cssGradient(map: ColourMapName): string {
  const stops = COLOUR_MAPS[map];
  const css = stops.map(
    (c, i) =>
      `rgb(${Math.round(c[0] * 255)}, ${Math.round(c[1] * 255)}, ${Math.round(c[2] * 255)}) ${((i / (stops.length - 1)) * 100).toFixed(1)}%`,
  );
  return `linear-gradient(to right, ${css.join(', ')})`;
}
