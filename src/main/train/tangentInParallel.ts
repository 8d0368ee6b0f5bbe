import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { TANGENT_SHRINKAGE } from '../../shared/trainDefaults';
import { builtEntry } from '../builtEntry';
import { tangentConnectivity, tangentWhitener } from './tangentConnectivity';
import type { TangentBlock } from './tangentWorker';

/** Subjects per thread below which another thread costs more than it saves. */
const MIN_BLOCK = 8;

/**
 * tangentConnectivity with the subjects' eigendecompositions spread over worker threads: the
 * reference's whitener is computed here, then each thread takes a block of consecutive subjects
 * (one per core, at most one per MIN_BLOCK subjects). Every subject goes through the same code as
 * in tangentConnectivity, so the values are the same to the bit. Computed in-process where there is
 * no built worker (running from source, as in the unit tests) or no second core.
 */
export async function tangentInParallel(
  fc: Float32Array,
  rois: number,
  reference: number[],
  script: string | null = builtEntry('tangentWorker.js', import.meta.url),
  threads = availableParallelism(),
): Promise<Float32Array> {
  const size = rois * rois;
  const subjects = fc.length / size;
  const count = Math.min(threads, Math.floor(subjects / MIN_BLOCK));
  if (script === null || count < 2) return tangentConnectivity(fc, rois, reference);
  const whitener = tangentWhitener(fc, rois, reference);
  const out = new Float32Array(fc.length);
  const bounds = Array.from({ length: count + 1 }, (_, k) => Math.round((k * subjects) / count));
  await Promise.all(
    bounds.slice(0, -1).map(async (start, k) => {
      const block = fc.slice(start * size, bounds[k + 1]! * size);
      out.set(await inWorker(script, { fc: block, rois, whitener, shrinkage: TANGENT_SHRINKAGE }), start * size);
    }),
  );
  return out;
}

/** One block's values from a thread of its own, which ends once it has answered. */
function inWorker(script: string, block: TangentBlock): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script);
    worker.once('message', (answer: { values: Float32Array } | { error: string }) => {
      if ('error' in answer) reject(new Error(`tangent space: ${answer.error}`));
      else resolve(answer.values);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`a tangent-space thread stopped (exit code ${code})`)));
    worker.postMessage(block, [block.fc.buffer as ArrayBuffer]);
  });
}
