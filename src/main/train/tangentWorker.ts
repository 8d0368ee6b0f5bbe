import { parentPort } from 'node:worker_threads';
import { tangentRows } from './tangentConnectivity';

/**
 * Worker-thread entry: the tangent-space values of a block of subjects (tangentInParallel), one
 * request per message, answered with the block's values or why they could not be computed.
 */
export interface TangentBlock {
  fc: Float32Array;
  rois: number;
  whitener: Float64Array;
  shrinkage: number;
}

parentPort!.on('message', ({ fc, rois, whitener, shrinkage }: TangentBlock) => {
  try {
    const out = new Float32Array(fc.length);
    tangentRows(fc, rois, whitener, shrinkage, out);
    parentPort!.postMessage({ values: out }, [out.buffer]);
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error).message });
  }
});
