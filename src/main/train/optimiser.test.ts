import { beforeAll, describe, expect, it } from 'vitest';
import { DX_SEX_VOCABULARY, dxSexCodes, randomBrainBatch } from '../../test-support/modelBatch';
import { NeuroLIPEnsemble } from '../model/neurolipEnsemble';
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

/** A small `neurolip` configuration without dropout, with `options` over it. */
const smallConfig = (options: Record<string, unknown>) =>
  resolveVariant(TrainConfig.parse({ variant: 'neurolip', d: 8, heads: 2, dropout: 0, inputDropout: 0, ...options }));

/** Two optimiser steps on two batches; returns each variable before, after, and the two gradients. */
function twoSteps(connectomeOptimiser: 'adamw' | 'sgd') {
  const config = smallConfig({ weightDecay: 0.01, connectomeOptimiser, connectomeLearningRate: 0.2 });
  const model = new NeuroLIPModel(R, DX_SEX_VOCABULARY, config, `${connectomeOptimiser}.`);
  const optimiser = createOptimiser([model]);
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

  it('steps each member of a mixed ensemble as its own settings say, and refuses settings a member cannot have', () => {
    const config = smallConfig({
      weightDecay: 0,
      ensemble: 3,
      memberSettings: [{}, { learningRate: 1e-5, connectomeReadout: 'logit', connectomeOptimiser: 'sgd' }],
    });
    const model = new NeuroLIPEnsemble(R, DX_SEX_VOCABULARY, config, 'mixed.');
    expect(model.members.map((member) => member.config.connectomeReadout)).toEqual(['embedding', 'logit', 'embedding']);
    const tokenOf = (m: number) => model.members[m]!.variables.find((v) => v.name.endsWith('connectome.w'))!;
    expect(Math.max(...Array.from(tokenOf(1).dataSync(), Math.abs))).toBe(0);
    const optimiser = createOptimiser(model.members);
    const before = read(model.variables);
    const x = randomBrainBatch(3, B, R);
    const { grads } = tf.variableGrads(() => model.loss(x, codes, true).total, model.variables);
    optimiser.apply(grads);
    const after = read(model.variables);
    const largestStep = (name: string) => Math.max(...after.get(name)!.map((w, k) => Math.abs(w - before.get(name)![k]!)));
    // Adam's first step moves a weight by its learning rate (whatever its gradient); SGD's by the rate times the gradient.
    for (const [name, rate] of [
      ['mixed.ttca.o.w', config.learningRate],
      ['mixed.member1.ttca.o.w', 1e-5],
      ['mixed.member2.ttca.o.w', config.learningRate],
    ] as const) {
      expect(largestStep(name)).toBeLessThanOrEqual(rate * 1.01);
      expect(largestStep(name)).toBeGreaterThan(rate * 0.5);
    }
    const tokenGradient = Array.from(grads[tokenOf(1).name]!.dataSync());
    after.get(tokenOf(1).name)!.forEach((w, k) => expect(w).toBeCloseTo(-config.connectomeLearningRate * tokenGradient[k]!, 6));
    tf.dispose([x.fc, x.edges!, ...Object.values(grads)]);
    optimiser.dispose();
    model.dispose();
    for (const [settings, wrong] of [
      [{ ensemble: 2, memberSettings: [{}, { d: 16 }] }, /Unrecognized key/],
      [{ ensemble: 1, memberSettings: [{}, { learningRate: 0.01 }] }, /more member settings than ensemble members/],
      [{ ensemble: 2, memberSettings: [{ connectomeReadout: 'linear' }] }, /Invalid option/],
    ] as const) {
      const refused = TrainConfig.safeParse(settings);
      expect(refused.success).toBe(false);
      expect(refused.error!.issues[0]!.path[0]).toBe('memberSettings');
      expect(refused.error!.issues[0]!.message).toMatch(wrong);
    }
  });
});
