import type { FoldCheckpoint, UnitBest } from './trainFold';

/**
 * A fold checkpoint as two BLOBs: the model weights, and everything else (optimiser moments, the
 * best epochs' weights, the weight average if any, generator state, history) as a JSON header
 * followed by float32 arrays.
 */
export function encodeCheckpoint(checkpoint: FoldCheckpoint): { weights: Buffer; state: Buffer } {
  const arrays = [
    ...checkpoint.optimiser.m,
    ...checkpoint.optimiser.v,
    ...checkpoint.best.flatMap((best) => best.weights),
    ...(checkpoint.average?.weights ?? []),
  ];
  const header = Buffer.from(
    JSON.stringify({
      epoch: checkpoint.epoch,
      step: checkpoint.optimiser.step,
      best: checkpoint.best.map((best) => ({ epoch: best.epoch, auc: best.auc, arrays: best.weights.length })),
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
    /** One object (no arrays count) in checkpoints written before ensemble members could stop on their own. */
    best: { epoch: number; auc: number | null; arrays?: number }[] | { epoch: number; auc: number | null };
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
  let offset = 2 * sizes.length;
  const best = (Array.isArray(header.best) ? header.best : [{ ...header.best, arrays: sizes.length }]).map((unit): UnitBest => {
    const weights = rest.slice(offset, offset + (unit.arrays ?? sizes.length));
    offset += weights.length;
    return { epoch: unit.epoch, auc: unit.auc ?? -1, weights };
  });
  return {
    epoch: header.epoch,
    weights: split(weights, sizes),
    optimiser: { step: header.step, m: rest.slice(0, sizes.length), v: rest.slice(sizes.length, 2 * sizes.length) },
    best,
    average: averaged ? { updates: header.averageUpdates!, weights: rest.slice(3 * sizes.length) } : null,
    shuffler: header.shuffler,
    dropoutCalls: header.dropoutCalls,
    history: header.history,
  };
}
