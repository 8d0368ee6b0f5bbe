import { totalmem } from 'node:os';
import type { BackendName } from '../../shared/api';
import type { TrainConfig } from './trainConfig';

/** A configuration whose training step cannot fit in the memory TensorFlow.js has here. */
export class ModelTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelTooLargeError';
  }
}

const FLOAT = 4;
const GIB = 1024 ** 3;

/**
 * Peak bytes of one training step, roughly: per encoder layer the activations the backward pass
 * keeps, the attention scores and their softmax [B*H, R, R] and about a dozen [B*R, d] tensors
 * (q, k, v, context, MLP, norms), plus the input [B, R, R] and its projection [B*R, d]; doubled
 * for the gradients; plus the whole-connectome token where it is on (and its attention-weighted copies). Within a factor of two of what the wasm back end really allocates.
 */
export function trainingStepBytes(
  config: Pick<TrainConfig, 'd' | 'heads' | 'layers' | 'globalToken' | 'connectomeAttention'>,
  batch: number,
  rois: number,
  diagnosisTokens = 2,
): number {
  const attention = 2 * batch * config.heads * rois * rois;
  const hidden = 12 * batch * rois * config.d;
  const input = batch * rois * rois + batch * rois * config.d;
  const edges = (rois * (rois - 1)) / 2;
  // The whole-connectome token: its [E, d] weights with their gradient and AdamW moments, and the [B, E] edges.
  // Read through the attention: the [R, E] edge-endpoint matrix and about four [B*C, E] weighted copies of the edges.
  const weighted = config.connectomeAttention > 0 ? rois * edges + 4 * batch * diagnosisTokens * edges : 0;
  const connectome = config.globalToken ? 2 * edges * config.d + batch * edges + weighted : 0;
  return 2 * FLOAT * (input + config.layers * (attention + hidden) + connectome);
}

/** What a back end can allocate: wasm32 memory stops near 2 GiB; the others share the machine's RAM. */
export function memoryBudgetBytes(backend: BackendName): number {
  return backend === 'wasm' ? 2 * GIB : totalmem() / 2;
}

const inGiB = (bytes: number): string => `${(bytes / GIB).toFixed(1)} GiB`;

/**
 * Refuses, before anything is stored or trained, a configuration whose training step needs more
 * memory than the back end has (an absurd batch size or model size).
 */
export function checkTrainingMemory(config: TrainConfig, rois: number, trainingSubjects: number, backend: BackendName): void {
  if (config.variant === 'logreg-fc') return;
  const batch = Math.min(config.batchSize, trainingSubjects);
  const needed = trainingStepBytes(config, batch, rois);
  const budget = memoryBudgetBytes(backend);
  if (needed <= budget) return;
  throw new ModelTooLargeError(
    `This configuration needs about ${inGiB(needed)} for one training step (batch ${batch} × ${rois} ROIs, ${config.layers} layer${config.layers === 1 ? '' : 's'} of width ${config.d} with ${config.heads} heads); ` +
      `TensorFlow.js on the ${backend} back end can use about ${inGiB(budget)}. Lower the batch size, d, heads or layers.`,
  );
}

/** True for the ways an allocation failure surfaces from TensorFlow.js and V8. */
export function isOutOfMemory(error: unknown): boolean {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return /memory access out of bounds|offset is out of bounds|out of memory|\bOOM\b|Array buffer allocation failed|Invalid typed array length|Cannot allocate|allocation failed/i.test(
    message,
  );
}
