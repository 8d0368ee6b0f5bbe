import { beforeAll, describe, expect, it } from 'vitest';
import { DX_SEX_VOCABULARY, dxSexCodes, randomBrainBatch } from '../../test-support/modelBatch';
import { NeuroLIPModel } from '../model/neurolipModel';
import * as tf from '../model/tf';
import { resolveVariant, TrainConfig } from '../model/trainConfig';
import { selectBackend } from '../tf/backend';
import { createOptimiser } from './optimiser';

beforeAll(async () => {
  await selectBackend('wasm');
});

const R = 10;
const B = 8;
const codes = dxSexCodes(B);

const read = (variables: tf.Variable[]): Map<string, Float32Array> =>
  new Map(variables.map((v) => [v.name, Float32Array.from(v.dataSync() as Float32Array)]));

/** Two optimiser steps on two batches; returns each variable before, after, and the two gradients. */
function twoSteps(connectomeOptimiser: 'adamw' | 'sgd') {
  const config = resolveVariant(
    TrainConfig.parse({
      variant: 'neurolip',
      d: 8,
      heads: 2,
      dropout: 0,
      inputDropout: 0,
      weightDecay: 0.01,
      connectomeOptimiser,
      connectomeLearningRate: 0.2,
    }),
  );
  const model = new NeuroLIPModel(R, DX_SEX_VOCABULARY, config, `${connectomeOptimiser}.`);
  const optimiser = createOptimiser(model.variables, config);
  const before = read(model.variables);
  const gradients: Map<string, Float32Array>[] = [];
  for (const seed of [1, 2]) {
    const x = randomBrainBatch(seed, B, R);
    const { grads } = tf.variableGrads(() => model.loss(x, codes, true).total, model.variables);
    gradients.push(new Map(Object.entries(grads).map(([name, g]) => [name, Float32Array.from(g.dataSync() as Float32Array)])));
    optimiser.apply(grads);
  }
  const after = read(model.variables);
  model.dispose();
  optimiser.dispose();
  return { before, after, gradients, config };
}

describe('createOptimiser', () => {
  it("moves the connectome token's weights by SGD with bias-corrected momentum and the rest by AdamW", () => {
    const { before, after, gradients, config } = twoSteps('sgd');
    const name = 'sgd.brain.connectome.w';
    const [g1, g2] = [gradients[0]!.get(name)!, gradients[1]!.get(name)!];
    const rate = config.connectomeLearningRate;
    const decay = 1 - rate * config.weightDecay;
    const w0 = before.get(name)!;
    const w1 = w0.map((w, k) => w * decay - rate * g1[k]!);
    const expected = w1.map((w, k) => w * decay - (rate * (0.9 * 0.1 * g1[k]! + 0.1 * g2[k]!)) / (1 - 0.9 ** 2));
    const got = after.get(name)!;
    for (let k = 0; k < got.length; k += 1) expect(got[k]).toBeCloseTo(expected[k]!, 5);
    // An Adam weight moves about the learning rate per step whatever its gradient's size (plus its decay).
    const other = 'sgd.ttca.o.w';
    const step = after.get(other)!.map((w, k) => Math.abs(w - before.get(other)![k]!));
    expect(Math.max(...step)).toBeLessThanOrEqual(2.1 * config.learningRate);
    expect(Math.max(...step)).toBeGreaterThan(0.5 * config.learningRate);
  });

  it('leaves every weight on AdamW by default', () => {
    const { before, after, config } = twoSteps('adamw');
    const name = 'adamw.brain.connectome.w';
    const step = after.get(name)!.map((w, k) => Math.abs(w - before.get(name)![k]!));
    expect(Math.max(...step)).toBeLessThanOrEqual(2.1 * config.learningRate);
    expect(Math.max(...step)).toBeGreaterThan(0.5 * config.learningRate);
  });
});
