import type { FoldCheckpoint } from './trainFold';

/**
 * A fold checkpoint as two BLOBs: the model weights, and everything else (optimiser moments, the
 * best epoch's weights, the weight average if any, generator state, history) as a JSON header
 * followed by float32 arrays.
 */
export function encodeCheckpoint(checkpoint: FoldCheckpoint): { weights: Buffer; state: Buffer } {
  const arrays = [...checkpoint.optimiser.m, ...checkpoint.optimiser.v, ...checkpoint.best.weights, ...(checkpoint.average?.weights ?? [])];
  const header = Buffer.from(
    JSON.stringify({
      epoch: checkpoint.epoch,
      step: checkpoint.optimiser.step,
      best: { epoch: checkpoint.best.epoch, auc: checkpoint.best.auc },
      averageUpdates: checkpoint.average?.updates ?? null,
      shuffler: checkpoint.shuffler,
      dropoutCalls: checkpoint.dropoutCalls,
      history: checkpoint.history,
      sizes: checkpoint.weights.map((w) => w.length),
    }),
  );
  const floats = Buffer.alloc(arrays.reduce((n, a) => n + a.byteLength, 0));
  let offset = 0;
  for (const a of arrays) {
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).copy(floats, offset);
    offset += a.byteLength;
  }
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.length);
  const weights = Buffer.concat(checkpoint.weights.map((w) => Buffer.from(w.buffer, w.byteOffset, w.byteLength)));
  return { weights, state: Buffer.concat([length, header, floats]) };
}

function split(buffer: Buffer, sizes: number[]): Float32Array[] {
  const copy = new Uint8Array(buffer.byteLength);
  copy.set(buffer);
  const all = new Float32Array(copy.buffer);
  let offset = 0;
  return sizes.map((size) => {
    const part = all.slice(offset, offset + size);
    offset += size;
    return part;
  });
}

export function decodeCheckpoint(weights: Buffer, state: Buffer): FoldCheckpoint {
  const headerLength = state.readUInt32LE(0);
  const header = JSON.parse(state.toString('utf8', 4, 4 + headerLength)) as {
    epoch: number;
    step: number;
    best: { epoch: number; auc: number };
    /** Absent in checkpoints written before weight averaging existed. */
    averageUpdates?: number | null;
    shuffler: FoldCheckpoint['shuffler'];
    dropoutCalls: number;
    history: FoldCheckpoint['history'];
    sizes: number[];
  };
  const sizes = header.sizes;
  const averaged = typeof header.averageUpdates === 'number';
  const rest = split(state.subarray(4 + headerLength), [...sizes, ...sizes, ...sizes, ...(averaged ? sizes : [])]);
  return {
    epoch: header.epoch,
    weights: split(weights, sizes),
    optimiser: { step: header.step, m: rest.slice(0, sizes.length), v: rest.slice(sizes.length, 2 * sizes.length) },
    best: { ...header.best, auc: header.best.auc ?? -1, weights: rest.slice(2 * sizes.length, 3 * sizes.length) },
    average: averaged ? { updates: header.averageUpdates!, weights: rest.slice(3 * sizes.length) } : null,
    shuffler: header.shuffler,
    dropoutCalls: header.dropoutCalls,
    history: header.history,
  };
}
