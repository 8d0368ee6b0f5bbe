import type { CohortRoi } from '../../../../shared/api';
import type { ColourMapName } from './colourMaps';
import { MIN_RADIUS_MM, nodeStyle, type ValueRange } from './nodeStyle';
import type { Hemisphere, SceneEdge, SceneNode } from './BrainScene';
import { passes } from './thresholds';
import type { Edge } from './topEdges';

const BELOW_THRESHOLD: [number, number, number] = [0.72, 0.74, 0.78];
const POSITIVE_EDGE: [number, number, number] = [0.85, 0.15, 0.15];
const NEGATIVE_EDGE: [number, number, number] = [0.15, 0.35, 0.9];

/** A ROI with MNI coordinates, in the hemisphere shown (x < 0 is left; the midline shows in both). */
export function shownRoi(roi: CohortRoi, hemisphere: Hemisphere): roi is CohortRoi & { x: number; y: number; z: number } {
  if (roi.x === null || roi.y === null || roi.z === null) return false;
  return hemisphere === 'both' || (hemisphere === 'left' ? roi.x <= 0 : roi.x >= 0);
}

export interface NodeOptions {
  colourMap: ColourMapName;
  /** |value| at or above this passes the threshold. */
  cut: number;
  showBelow: boolean;
  hemisphere: Hemisphere;
}

/** The spheres to draw: ROIs passing the threshold in colour, the rest small and grey (or hidden). */
export function sceneNodes(rois: CohortRoi[], values: ArrayLike<number>, range: ValueRange, options: NodeOptions): SceneNode[] {
  const pass = passes(values, options.cut);
  return rois.flatMap((roi, r) => {
    if (!shownRoi(roi, options.hemisphere)) return [];
    if (!pass[r] && !options.showBelow) return [];
    const style = pass[r] ? nodeStyle(values[r]!, range, options.colourMap) : { colour: BELOW_THRESHOLD, radius: MIN_RADIUS_MM * 0.7 };
    return [{ roi: r, position: [roi.x, roi.y, roi.z] as [number, number, number], ...style }];
  });
}

/** The lines to draw: edges whose two ends are shown, red where patients are more connected, blue where less. */
export function sceneEdges(rois: CohortRoi[], edges: Edge[], hemisphere: Hemisphere): SceneEdge[] {
  return edges.flatMap((edge) => {
    const [a, b] = [rois[edge.from]!, rois[edge.to]!];
    if (!shownRoi(a, hemisphere) || !shownRoi(b, hemisphere)) return [];
    return [
      {
        from: [a.x, a.y, a.z] as [number, number, number],
        to: [b.x, b.y, b.z] as [number, number, number],
        colour: edge.value >= 0 ? POSITIVE_EDGE : NEGATIVE_EDGE,
      },
    ];
  });
}
