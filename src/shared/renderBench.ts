/** What the render benchmark page measures for one scene, and sends back to `neurolip bench render`. */
export interface RenderMeasurement {
  fps: number;
  frames: number;
  seconds: number;
  /** Draw calls in one frame. */
  drawCalls: number;
  /** Geometries alive on the GPU before and after the timed frames (equal: nothing rebuilt per frame). */
  geometries: [number, number];
  renderer: string;
}
