import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import { affine2d, ConstantProduct, dataAffine2d, matMul2d } from './matMul2d';
import * as tf from './tf';

beforeAll(async () => {
  await selectBackend('wasm');
});

function random2d(random: SeededRandom, rows: number, columns: number): tf.Tensor2D {
  return tf.tensor2d(
    Float32Array.from({ length: rows * columns }, () => random.normal()),
    [rows, columns],
  );
}

function close(actual: tf.Tensor, expected: tf.Tensor): void {
  expect(actual.shape).toEqual(expected.shape);
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < e.length; i += 1) expect(a[i]).toBeCloseTo(e[i]!, 4);
}

describe('2-D products with 2-D gradients', () => {
  const random = new SeededRandom(3);
  const x = random2d(random, 7, 5);
  const w = random2d(random, 5, 3);
  const bias = tf.tensor1d([0.5, -1, 2]);
  const upstream = random2d(random, 7, 3);

  it('matMul2d has the value and the gradients of tf.matMul', () => {
    const ours = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(matMul2d(a as tf.Tensor2D, b as tf.Tensor2D), upstream)));
    const theirs = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D), upstream)));
    close(matMul2d(x, w), tf.matMul(x, w));
    ours([x, w]).forEach((g, i) => close(g, theirs([x, w])[i]!));
  });

  it('affine2d has the value and the gradients of x w + b, the bias gradient included', () => {
    const f = (op: (a: tf.Tensor2D, b: tf.Tensor2D, c: tf.Tensor1D) => tf.Tensor2D) =>
      tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
        tf.sum(tf.mul(op(a as tf.Tensor2D, b as tf.Tensor2D, c as tf.Tensor1D), upstream)),
      );
    const reference = (a: tf.Tensor2D, b: tf.Tensor2D, c: tf.Tensor1D) => tf.add(tf.matMul(a, b), c) as tf.Tensor2D;
    close(affine2d(x, w, bias), reference(x, w, bias));
    const ours = f(affine2d)([x, w, bias]);
    const theirs = f(reference)([x, w, bias]);
    ours.forEach((g, i) => close(g, theirs[i]!));
    close(ours[2]!, tf.sum(upstream, 0));
  });

  it('dataAffine2d has the value and weight gradients of affine2d, and no gradient path to its data', () => {
    const loss = (op: typeof affine2d) => (b: tf.Tensor, c: tf.Tensor) =>
      tf.sum(tf.mul(op(x, b as tf.Tensor2D, c as tf.Tensor1D), upstream));
    close(dataAffine2d(x, w, bias), affine2d(x, w, bias));
    const ours = tf.grads(loss(dataAffine2d))([w, bias]);
    tf.grads(loss(affine2d))([w, bias]).forEach((g, i) => close(ours[i]!, g));
    expect(() => tf.grad((a: tf.Tensor) => tf.sum(dataAffine2d(a as tf.Tensor2D, w, bias)))(x)).toThrow(
      /Cannot compute gradient of y=f\(x\) with respect to x/,
    );
  });

  it('ConstantProduct has the value of x m and the gradient of tf.matMul for x', () => {
    const product = new ConstantProduct(tf.clone(w));
    const ours = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(product.apply(a as tf.Tensor2D), upstream)));
    const theirs = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.matMul(a as tf.Tensor2D, w), upstream)));
    close(product.apply(x), tf.matMul(x, w));
    close(ours(x), theirs(x));
    product.dispose();
  });
});
