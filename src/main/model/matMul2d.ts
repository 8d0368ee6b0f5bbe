import * as tf from './tf';

/**
 * Plain 2-D matrix products whose gradients are plain 2-D products too. TensorFlow.js's own
 * gradient of `matMul(a, b)` multiplies with a transposed operand (`transposeA`/`transposeB`),
 * which on the wasm back end leaves its fast path and runs about 10x slower; here the operand is
 * transposed explicitly first (docs/performance.md, "Training").
 */
type CustomOp = Parameters<typeof tf.customGrad>[0];

/** The bias gradient of dy [n, m]: a product with a row of ones, not a column sum. */
const biasGradient = (dy: tf.Tensor2D): tf.Tensor1D => tf.reshape(tf.matMul(tf.ones([1, dy.shape[0]]), dy), [dy.shape[1]]);

const product = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.matMul(a, b),
    gradFunc: (dy: tf.Tensor2D, [x, w]: tf.Tensor2D[]) => [tf.matMul(dy, tf.transpose(w!)), tf.matMul(tf.transpose(x!), dy)],
  };
}) as unknown as CustomOp);

const affine = tf.customGrad(((a: tf.Tensor2D, b: tf.Tensor2D, bias: tf.Tensor1D, save: tf.GradSaveFunc) => {
  save([a, b]);
  return {
    value: tf.add(tf.matMul(a, b), bias),
    gradFunc: (dy: tf.Tensor2D, [x, w]: tf.Tensor2D[]) => [
      tf.matMul(dy, tf.transpose(w!)),
      tf.matMul(tf.transpose(x!), dy),
      biasGradient(dy),
    ],
  };
}) as unknown as CustomOp);

/** a [n, k] x b [k, m] -> [n, m]. */
export function matMul2d(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return product(a, b) as tf.Tensor2D;
}

/** x [n, k] x w [k, m] + bias [m] -> [n, m]; the bias gradient is a product with a row of ones, not a column sum. */
export function affine2d(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  return affine(x, w, bias) as tf.Tensor2D;
}

/**
 * x [n, k] x w [k, m] + bias [m] for an x that needs no gradient (input data): x is not an input of
 * the op, so backpropagation computes the weights' gradients only, not the [n, k] one for x.
 */
export function dataAffine2d(x: tf.Tensor2D, w: tf.Tensor2D, bias: tf.Tensor1D): tf.Tensor2D {
  const op = tf.customGrad(((weights: tf.Tensor2D, b: tf.Tensor1D, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: tf.add(tf.matMul(x, weights), b),
      gradFunc: (dy: tf.Tensor2D, [data]: tf.Tensor2D[]) => [tf.matMul(tf.transpose(data!), dy), biasGradient(dy)],
    };
  }) as unknown as CustomOp);
  return op(w, bias) as tf.Tensor2D;
}

/** Right-multiplication by a constant matrix: x [n, k] x m [k, j], with mᵀ kept so the gradient (for x only) is one plain product. */
export class ConstantProduct {
  private readonly transposed: tf.Tensor2D;
  private readonly op: (x: tf.Tensor2D) => tf.Tensor2D;

  constructor(private readonly matrix: tf.Tensor2D) {
    this.transposed = tf.keep(tf.transpose(matrix));
    this.op = tf.customGrad(((x: tf.Tensor2D) => ({
      value: tf.matMul(x, this.matrix),
      gradFunc: (dy: tf.Tensor2D) => [tf.matMul(dy, this.transposed)],
    })) as unknown as CustomOp) as unknown as (x: tf.Tensor2D) => tf.Tensor2D;
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return this.op(x);
  }

  dispose(): void {
    this.matrix.dispose();
    this.transposed.dispose();
  }
}
