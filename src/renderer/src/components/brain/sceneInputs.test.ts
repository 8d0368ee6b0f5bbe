import { describe, expect, it } from 'vitest';
import { colourAt } from './colourMaps';
import { MAX_RADIUS_MM, MIN_RADIUS_MM } from './nodeStyle';
import { sceneEdges, sceneNodes } from './sceneInputs';

const ROIS = [
  { index: 0, column: '#1', label: 'Left', x: -30, y: 0, z: 10 },
  { index: 1, column: '#2', label: 'Right', x: 30, y: 5, z: 10 },
  { index: 2, column: '#3', label: 'Midline', x: 0, y: -40, z: 20 },
  { index: 3, column: '#4', label: 'Unplaced', x: null, y: null, z: null },
];
const RANGE = { min: 0, max: 1, signed: false };

describe('what the brain scene draws', () => {
  it('colours and sizes the ROIs passing the threshold, greys the rest or hides them, and skips ROIs without coordinates', () => {
    const values = [1, 0.2, 0, 0.9];
    const shown = sceneNodes(ROIS, values, RANGE, { colourMap: 'hot', cut: 0.5, showBelow: true, hemisphere: 'both' });
    expect(shown.map((n) => n.roi)).toEqual([0, 1, 2]);
    expect(shown[0]).toEqual({ roi: 0, position: [-30, 0, 10], colour: colourAt('hot', 1), radius: MAX_RADIUS_MM });
    expect(shown[1]!.radius).toBeLessThan(MIN_RADIUS_MM);
    expect(shown[1]!.colour).toEqual(shown[2]!.colour);
    const passing = sceneNodes(ROIS, values, RANGE, { colourMap: 'hot', cut: 0.5, showBelow: false, hemisphere: 'both' });
    expect(passing.map((n) => n.roi)).toEqual([0]);
  });

  it('keeps one hemisphere (x < 0 is left; the midline shows in both)', () => {
    const values = [1, 1, 1, 1];
    const options = { colourMap: 'viridis' as const, cut: 0, showBelow: true };
    expect(sceneNodes(ROIS, values, RANGE, { ...options, hemisphere: 'left' }).map((n) => n.roi)).toEqual([0, 2]);
    expect(sceneNodes(ROIS, values, RANGE, { ...options, hemisphere: 'right' }).map((n) => n.roi)).toEqual([1, 2]);
  });

  it('draws an edge only when both ends are shown, red for a positive difference and blue for a negative one', () => {
    const edges = [
      { from: 0, to: 1, value: 0.3 },
      { from: 0, to: 2, value: -0.2 },
      { from: 1, to: 3, value: 0.9 },
    ];
    const both = sceneEdges(ROIS, edges, 'both');
    expect(both).toHaveLength(2);
    expect(both[0]).toEqual({ from: [-30, 0, 10], to: [30, 5, 10], colour: [0.85, 0.15, 0.15] });
    expect(both[1]!.colour).toEqual([0.15, 0.35, 0.9]);
    expect(sceneEdges(ROIS, edges, 'left').map((e) => e.to)).toEqual([[0, -40, 20]]);
  });
});
