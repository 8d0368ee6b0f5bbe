import type { DemoRunResult } from '../../../../shared/api';

/** One sentence on the best |patient − control| recovery against chance, in plain words. */
export function verdict(result: DemoRunResult): string {
  const best = [...result.runs].sort((a, b) => (b.precisionAtK.absoluteContrast ?? 0) - (a.precisionAtK.absoluteContrast ?? 0))[0];
  if (!best) return '';
  const precision = best.precisionAtK.absoluteContrast ?? 0;
  const times = precision / best.chance;
  const how =
    times >= 2
      ? `${times.toFixed(1)} times chance: the attention found the planted regions.`
      : times > 1
        ? 'only a little above chance: this short training found few of the planted regions.'
        : 'not above chance: this short training did not find the planted regions (longer training, e.g. the Full preset, is needed).';
  return `Best recovery: ${best.variant}, ${Math.round(precision * best.plantedRois)} of ${best.plantedRois} planted regions among its top ${best.plantedRois} (precision ${precision.toFixed(2)}, chance ${best.chance.toFixed(2)}), ${how}`;
}
