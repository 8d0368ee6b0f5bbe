import batchedProductWasm from './batchedProduct.wat';
import * as tf from './tf';

interface BatchedProductExports {
  memory: WebAssembly.Memory;
  product(
    a: number,
    b: number,
    out: number,
    batch: number,
    left: number,
    shared: number,
    right: number,
    aOuter: number,
    aInner: number,
  ): void;
  transpose(src: number, dst: number, batch: number, rows: number, columns: number): void;
}

/** What batchedProduct reads of the wasm back end: a view of a tensor's values in its heap, without a copy. */
interface WasmHeap {
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

const PAGE_BYTES = 65536;
let kernel: BatchedProductExports | null = null;

/** batchedProduct.wat, instantiated once per thread. */
function kernelExports(): BatchedProductExports {
  kernel ??= new WebAssembly.Instance(new WebAssembly.Module(batchedProductWasm)).exports as unknown as BatchedProductExports;
  return kernel;
}

/**
 * a x b for 3-D tensors with the same batch size (no broadcasting), as tf.matMul(a, b, transposeA, transposeB):
 * on the wasm back end in batchedProduct.wat (equal to the bit, about 4x faster: TensorFlow.js runs
 * every batched or transposed product on its scalar path), elsewhere tf.matMul itself.
 */
function product(a: tf.Tensor3D, b: tf.Tensor3D, transposeA: boolean, transposeB: boolean): tf.Tensor3D {
  const [batch, aRows, aColumns] = a.shape;
  const [bBatch, bRows, bColumns] = b.shape;
  const left = transposeA ? aColumns : aRows;
  const shared = transposeA ? aRows : aColumns;
  const right = transposeB ? bRows : bColumns;
  if (batch !== bBatch || shared !== (transposeB ? bColumns : bRows)) {
    throw new Error(`batchMatMul: shapes [${a.shape}] and [${b.shape}] (transposed: ${transposeA}, ${transposeB}) do not match.`);
  }
  if (tf.getBackend() !== 'wasm' || a.dtype !== 'float32' || b.dtype !== 'float32' || a.size === 0 || b.size === 0) {
    return tf.matMul(a, b, transposeA, transposeB);
  }
  const heap = tf.backend() as unknown as WasmHeap;
  const { memory, product: multiply, transpose } = kernelExports();
  const aAt = 0;
  const bAt = aAt + a.size * 4;
  const transposedAt = bAt + b.size * 4;
  const outAt = transposedAt + (transposeB ? b.size * 4 : 0);
  const bytes = outAt + batch * left * right * 4;
  if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE_BYTES));
  new Float32Array(memory.buffer, aAt, a.size).set(heap.typedArrayFromHeap(a));
  new Float32Array(memory.buffer, bAt, b.size).set(heap.typedArrayFromHeap(b));
  if (transposeB) transpose(bAt, transposedAt, batch, bRows, bColumns);
  multiply(aAt, transposeB ? transposedAt : bAt, outAt, batch, left, shared, right, transposeA ? 1 : shared, transposeA ? left : 1);
  return tf.tensor3d(new Float32Array(memory.buffer, outAt, batch * left * right), [batch, left, right]);
}

type CustomOp = Parameters<typeof tf.customGrad>[0];

/** The product with TensorFlow.js's own gradients for these transposes, each a product again. */
function differentiable(transposeA: boolean, transposeB: boolean): (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D {
  const gradients = (dy: tf.Tensor3D, a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D[] => {
    if (!transposeA && !transposeB) return [product(dy, b, false, true), product(a, dy, true, false)];
    if (!transposeA) return [product(dy, b, false, false), product(dy, a, true, false)];
    if (!transposeB) return [product(b, dy, false, true), product(a, dy, false, false)];
    return [product(b, dy, true, true), product(dy, a, true, true)];
  };
  return tf.customGrad(((a: tf.Tensor3D, b: tf.Tensor3D, save: tf.GradSaveFunc) => {
    save([a, b]);
    return {
      value: product(a, b, transposeA, transposeB),
      gradFunc: (dy: tf.Tensor3D, [savedA, savedB]: tf.Tensor[]) => gradients(dy, savedA as tf.Tensor3D, savedB as tf.Tensor3D),
    };
  }) as unknown as CustomOp) as unknown as (a: tf.Tensor3D, b: tf.Tensor3D) => tf.Tensor3D;
}

const products = [
  [differentiable(false, false), differentiable(false, true)],
  [differentiable(true, false), differentiable(true, true)],
] as const;

/** Batched a x b with its gradients, as tf.matMul on [n, ., .] tensors (the attention products). */
export function batchMatMul(a: tf.Tensor3D, b: tf.Tensor3D, transposeA = false, transposeB = false): tf.Tensor3D {
  return products[transposeA ? 1 : 0][transposeB ? 1 : 0](a, b);
}
