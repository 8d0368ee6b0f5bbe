import type { BrainFigure } from '../../../shared/api';
import { api } from '../api/client';
import { BrainScene, type StandardView } from './brain/BrainScene';
import { valueRange } from './brain/nodeStyle';
import { sceneNodes } from './brain/sceneInputs';
import { cutoff } from './brain/thresholds';

const VIEWS: StandardView[] = ['left', 'top', 'front'];
/** ROIs drawn in colour: the report's top-ROI table lists the same number. */
const TOP = 10;
const SIZE = { width: 640, height: 480 };

function dataUri(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('Could not read the figure.'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The report's 3D figures: the run's patient-minus-control map on the glass brain (the Brain page's
 * own scene code), from the left, the top and the front, its top ROIs in colour (coolwarm) and the
 * rest grey. Empty when the run has no maps or this browser has no WebGL; the report then keeps
 * its SVG projections only.
 */
export async function renderBrainFigures(runId: number): Promise<BrainFigure[]> {
  let maps;
  try {
    maps = await api.brain.maps.query({ runId });
  } catch {
    return [];
  }
  const contrast = maps.groupMaps.contrast;
  if (!contrast) return [];
  const surface = await api.brain.surface.query({});
  let scene: BrainScene;
  try {
    scene = new BrainScene(document.createElement('canvas'));
  } catch {
    return [];
  }
  try {
    scene.setSurface(surface.vertices, surface.triangles);
    const cut = cutoff(contrast, { kind: 'percentile', percent: 100 * (1 - TOP / contrast.length) });
    scene.setNodes(
      sceneNodes(maps.rois, contrast, valueRange(contrast), { colourMap: 'coolwarm', cut, showBelow: true, hemisphere: 'both' }),
    );
    const figures: BrainFigure[] = [];
    for (const view of VIEWS) {
      scene.setView(view);
      figures.push({ view: `${view} (patient − control)`, png: await dataUri(scene.snapshot(SIZE.width, SIZE.height, 'white')) });
    }
    return figures;
  } finally {
    scene.dispose();
  }
}
