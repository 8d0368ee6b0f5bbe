import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import { batchMatMul } from './batchedProduct';
import * as tf from './tf';

beforeAll(async () => {
  await selectBackend('wasm');
});

function random3d(random: SeededRandom, shape: [number, number, number]): tf.Tensor3D {
  return tf.tensor3d(
    Float32Array.from({ length: shape[0] * shape[1] * shape[2] }, () => random.normal()),
    shape,
  );
}

const values = (t: tf.Tensor): number[] => Array.from(t.dataSync());

/**
 * Shapes [batch, left, shared, right] with a shared dimension past one and two of the blocks of 48
 * that TensorFlow.js sums in, and right dimensions with and without a tail beyond groups of four.
 */
const SHAPES: [number, number, number, number][] = [
  [3, 5, 7, 16],
  [2, 4, 50, 6],
  [4, 20, 200, 16],
  [2, 3, 97, 13],
  [1, 1, 1, 1],
];

describe('batched products on the wasm back end', () => {
  it.each(
    SHAPES.flatMap((shape) =>
      [false, true].flatMap((transposeA) => [false, true].map((transposeB) => ({ shape, transposeA, transposeB }))),
    ),
  )(
    'equal tf.matMul to the bit, values and gradients: $shape, transposeA $transposeA, transposeB $transposeB',
    ({ shape, transposeA, transposeB }) => {
      const [n, left, shared, right] = shape;
      const random = new SeededRandom(left * 1000 + shared);
      const a = random3d(random, transposeA ? [n, shared, left] : [n, left, shared]);
      const b = random3d(random, transposeB ? [n, right, shared] : [n, shared, right]);
      const upstream = random3d(random, [n, left, right]);
      const loss =
        (op: (x: tf.Tensor3D, y: tf.Tensor3D, tA: boolean, tB: boolean) => tf.Tensor3D) =>
        (x: tf.Tensor, y: tf.Tensor): tf.Tensor =>
          tf.sum(tf.mul(op(x as tf.Tensor3D, y as tf.Tensor3D, transposeA, transposeB), upstream));
      const ours = batchMatMul(a, b, transposeA, transposeB);
      const theirs = tf.matMul(a, b, transposeA, transposeB);
      expect(ours.shape).toEqual([n, left, right]);
      expect(values(ours)).toEqual(values(theirs));
      const ourGradients = tf.grads(loss(batchMatMul))([a, b]);
      const theirGradients = tf.grads(loss(tf.matMul))([a, b]);
      ourGradients.forEach((g, i) => expect(values(g)).toEqual(values(theirGradients[i]!)));
      tf.dispose([a, b, upstream, ours, theirs, ...ourGradients, ...theirGradients]);
    },
  );

  it('leaves no tensors behind, and refuses batches that differ (no broadcasting)', () => {
    const random = new SeededRandom(1);
    const a = random3d(random, [2, 4, 6]);
    const b = random3d(random, [2, 6, 5]);
    const before = tf.memory().numTensors;
    tf.dispose(tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(batchMatMul(x as tf.Tensor3D, y as tf.Tensor3D)))([a, b]));
    expect(tf.memory().numTensors).toBe(before);
    const single = random3d(random, [1, 4, 6]);
    expect(() => batchMatMul(single, b)).toThrow(/shapes \[1,4,6\] and \[2,6,5\]/);
    tf.dispose([a, b, single]);
  });
});
