import connectivityWasm from './connectivityKernel.wat';

interface ConnectivityExports {
  memory: WebAssembly.Memory;
  columnMeans(z: number, timePoints: number, stride: number, mean: number): void;
  columnSumSquares(z: number, timePoints: number, stride: number, mean: number, sumSquares: number): void;
  standardise(z: number, timePoints: number, stride: number, mean: number, scale: number): void;
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

/**
 * Fisher z of the Pearson correlations between the columns of a T x R matrix (row-major), in
 * connectivityKernel.wat, all in float64 until the float32 result. `scaleOf` gets each column's
 * index, mean and sum of squared deviations and returns the factor that scales the centred column to unit
 * length, or 0 to mask the column (its correlations come out as 0). Returns the R x R matrix
 * atanh(clip(r, -0.999, 0.999)), diagonal 0; with `scratch`, as a view of the kernel's memory, valid
 * until the next call in this thread.
 */
export function fisherZOfColumns(
  values: Float64Array,
  timePoints: number,
  rois: number,
  scaleOf: (column: number, mean: number, sumSquares: number) => number,
  scratch = false,
): Float32Array {
  if (timePoints < 1 || rois < 1 || values.length !== timePoints * rois) throw new Error(`fisherZOfColumns: ${timePoints} x ${rois}`);
  const { memory, columnMeans, columnSumSquares, standardise, gramRows, fisherRows } = connectivityExports();
  // Columns padded to a multiple of four, the Gram product's block width.
  const stride = Math.ceil(rois / 4) * 4;
  const mean = 0;
  const sumSquares = mean + stride * 8;
  const scale = sumSquares + stride * 8;
  const z = scale + stride * 8;
  const g = z + timePoints * stride * 8;
  const out = g + stride * stride * 8;
  const bytes = out + rois * rois * 4;
  if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));

  const zView = new Float64Array(memory.buffer, z, timePoints * stride);
  if (stride === rois) zView.set(values);
  else {
    zView.fill(0);
    for (let t = 0; t < timePoints; t += 1) zView.set(values.subarray(t * rois, (t + 1) * rois), t * stride);
  }
  columnMeans(z, timePoints, stride, mean);
  columnSumSquares(z, timePoints, stride, mean, sumSquares);
  const [means, sums, scales] = [mean, sumSquares, scale].map((at) => new Float64Array(memory.buffer, at, stride)) as [
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  scales.fill(0);
  for (let r = 0; r < rois; r += 1) scales[r] = scaleOf(r, means[r]!, sums[r]!);
  standardise(z, timePoints, stride, mean, scale);
  for (let i0 = 0; i0 < stride; i0 += 4) gramRows(z, g, timePoints, stride, i0);
  for (let i0 = 0; i0 < rois; i0 += FISHER_ROWS_PER_CALL) fisherRows(g, out, stride, rois, i0, Math.min(rois, i0 + FISHER_ROWS_PER_CALL));
  const matrix = new Float32Array(memory.buffer, out, rois * rois);
  return scratch ? matrix : matrix.slice();
}
