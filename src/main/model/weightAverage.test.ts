import * as tf from './tf';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { WeightAverage } from './weightAverage';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('moving average of the weights', () => {
  it('follows avg <- beta avg + (1 - beta) w with the warm-up beta, and restores its state exactly', () => {
    const w = tf.variable(tf.tensor1d([1, -2]));
    const average = new WeightAverage([w], 0.5);
    const expected = [1, -2];
    const steps = [
      [3, 0],
      [5, 2],
      [-1, 4],
    ];
    steps.forEach((values, t) => {
      w.assign(tf.tensor1d(values));
      average.update();
      const beta = Math.min(0.5, (2 + t) / (11 + t));
      expected.forEach((e, k) => (expected[k] = beta * e + (1 - beta) * values[k]!));
    });
    average.snapshot()[0]!.forEach((value, k) => expect(value).toBeCloseTo(expected[k]!, 5));
    const saved = average.state();
    const copy = new WeightAverage([w], 0.5);
    copy.load(saved);
    w.assign(tf.tensor1d([0, 0]));
    average.update();
    copy.update();
    expect(copy.snapshot()).toEqual(average.snapshot());
    average.dispose();
    copy.dispose();
    w.dispose();
  });
});
