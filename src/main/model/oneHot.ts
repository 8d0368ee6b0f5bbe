import * as tf from './tf';

/**
 * One-hot rows [N, depth] of float 0/1 for integer codes in [0, depth). tf.oneHot refuses a depth
 * of 1, which an attribute with one group among a fold's training subjects has (an all-male
 * cohort's sex; the training site of a two-site cohort in leave-one-site-out): there every row is
 * its single column, 1 for a code of 0 and 0 otherwise.
 */
export function oneHotRows(codes: ArrayLike<number>, depth: number): tf.Tensor2D {
  if (depth === 1)
    return tf.tensor2d(
      Array.from(codes, (c) => (c === 0 ? 1 : 0)),
      [codes.length, 1],
    );
  return tf.cast(tf.oneHot(tf.tensor1d(Array.from(codes), 'int32'), depth), 'float32') as tf.Tensor2D;
}
