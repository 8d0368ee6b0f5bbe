import connectivityWasm from './connectivityKernel.wat';

interface ConnectivityExports {
  memory: WebAssembly.Memory;
  gramRows(z: number, g: number, timePoints: number, stride: number, i0: number): void;
  fisherRows(g: number, out: number, stride: number, rois: number, i0: number, i1: number): void;
}

const PAGE_BYTES = 65536;
/** Rows per call: several calls per subject, so that V8 soon moves the functions to its optimising tier. */
const FISHER_ROWS_PER_CALL = 16;
let kernel: ConnectivityExports | null = null;

/** connectivityKernel.wat, instantiated once per thread. */
function connectivityExports(): ConnectivityExports {
  kernel ??= new WebAssembly.Instance(new WebAssembly.Module(connectivityWasm)).exports as unknown as ConnectivityExports;
  return kernel;
}

/** Column counts are padded to a multiple of four, the Gram kernel's block width. */
export function paddedStride(columns: number): number {
  return Math.ceil(columns / 4) * 4;
}

/**
 * Fisher z of the correlations between standardised columns, in connectivityKernel.wat: `fill`
 * writes Z (timePoints rows of `stride` columns, each of the first `rois` columns centred and scaled
 * to unit length, the rest zero) into the view it is given, and every element of it, as the memory
 * is reused. Returns the rois x rois float32 matrix atanh(clip(Z^T Z, -0.999, 0.999)), diagonal 0.
 */
export function fisherZOfGram(timePoints: number, rois: number, stride: number, fill: (z: Float64Array) => void): Float32Array {
  if (timePoints < 1 || stride % 4 !== 0 || stride < rois) throw new Error(`fisherZOfGram: ${timePoints} x ${rois}, stride ${stride}`);
  const { memory, gramRows, fisherRows } = connectivityExports();
  const z = 0;
  const g = z + timePoints * stride * 8;
  const out = g + stride * stride * 8;
  const bytes = out + rois * rois * 4;
  if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
  fill(new Float64Array(memory.buffer, z, timePoints * stride));
  for (let i0 = 0; i0 < stride; i0 += 4) gramRows(z, g, timePoints, stride, i0);
  for (let i0 = 0; i0 < rois; i0 += FISHER_ROWS_PER_CALL) fisherRows(g, out, stride, rois, i0, Math.min(rois, i0 + FISHER_ROWS_PER_CALL));
  return new Float32Array(memory.buffer, out, rois * rois).slice();
}
