import * as tf from './tf';
import type { SeededRandom } from '../synth/random';

/** Initial weights drawn from our own seeded generator, so every back end starts from the same numbers. */
export function uniformVariable(random: SeededRandom, shape: number[], bound: number, name: string): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i += 1) values[i] = (2 * random.next() - 1) * bound;
  return tf.tidy(() => tf.variable(tf.tensor(values, shape), true, name));
}

export function normalVariable(random: SeededRandom, shape: number[], std: number, name: string): tf.Variable {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i += 1) values[i] = random.normal() * std;
  return tf.tidy(() => tf.variable(tf.tensor(values, shape), true, name));
}

export function constantVariable(value: number, shape: number[], name: string): tf.Variable {
  return tf.tidy(() => tf.variable(tf.fill(shape, value), true, name));
}

/** PyTorch's nn.Linear default: weight and bias uniform in ±1/sqrt(fan_in). Weight is [in, out]. */
export function linear(
  random: SeededRandom,
  fanIn: number,
  fanOut: number,
  name: string,
  bias = true,
): { w: tf.Variable; b: tf.Variable | null } {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    w: uniformVariable(random, [fanIn, fanOut], bound, `${name}.w`),
    b: bias ? uniformVariable(random, [fanOut], bound, `${name}.b`) : null,
  };
}
