import type { DemoRunResult } from '../../../../shared/api';

const MAP_NAMES: Record<string, string> = {
  absoluteContrast: 'its |patient − control| map',
  patientMap: 'its patient-token map',
  controlMap: 'its control-token map',
};

/** One sentence on the best recovery of the planted regions by any run's map, against chance, in plain words. */
export function verdict(result: DemoRunResult): string {
  const candidates = result.runs.flatMap((run) => Object.entries(run.precisionAtK).map(([map, precision]) => ({ run, map, precision })));
  const best = candidates.sort((a, b) => b.precision - a.precision)[0];
  if (!best) return '';
  const { run, map, precision } = best;
  const times = precision / run.chance;
  const how =
    times >= 2
      ? `${times.toFixed(1)} times chance: the attention found some of the planted regions.`
      : times > 1
        ? 'only a little above chance: the attention found few of the planted regions.'
        : 'not above chance: the attention did not find the planted regions (docs/model.md says where the default model stands on this).';
  return `Best recovery: ${run.variant}, ${Math.round(precision * run.plantedRois)} of ${run.plantedRois} planted regions among the top ${run.plantedRois} of ${MAP_NAMES[map] ?? map} (precision ${precision.toFixed(2)}, chance ${run.chance.toFixed(2)}), ${how}`;
}
