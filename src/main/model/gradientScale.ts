import * as tf from './tf';

/** A gradient multiplier that may be set after the forward pass (the gated reversal's gate). */
export interface GradientGate {
  scale: number;
}

/**
 * Identity in the forward pass; multiplies the incoming gradient by `gate.scale` in the backward
 * pass. Scale -1 reverses the gradient, 0 stops it. The scale is read when gradients are computed,
 * so the gate may depend on a loss computed after this op.
 */
export function scaleGradient<T extends tf.Tensor>(x: T, gate: GradientGate): T {
  const op = tf.customGrad(((input: tf.Tensor) => ({
    value: tf.clone(input),
    gradFunc: (dy: tf.Tensor) => (gate.scale === 1 ? tf.clone(dy) : tf.mul(dy, gate.scale)),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return op(x) as T;
}

/**
 * Identity forward, no gradient backward, and a cut in the tape: the op's only input is a constant,
 * so backpropagation never visits what computed x (scaleGradient with scale 0 would send zeros
 * through all of it). Everything upstream that reaches the loss only through here costs no backward.
 */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  const cut = tf.customGrad((() => ({
    value: tf.clone(x),
    gradFunc: () => tf.zeros([]),
  })) as unknown as Parameters<typeof tf.customGrad>[0]);
  return cut(tf.scalar(0)) as T;
}
