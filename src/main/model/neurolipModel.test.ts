import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import { NeuroLIPModel, type BrainBatch, type Vocabulary } from './neurolipModel';
import * as tf from './tf';
import { resolveVariant, TrainConfig } from './trainConfig';

beforeAll(async () => {
  await selectBackend('wasm');
});

const R = 12;
const B = 10;
const vocabulary: Vocabulary = {
  attributes: [
    { name: 'dx', values: ['control', 'patient'] },
    { name: 'sex', values: ['female', 'male'] },
  ],
};
const codes = [Int32Array.from({ length: B }, (_, i) => i % 2), Int32Array.from({ length: B }, (_, i) => (i % 3 === 0 ? 0 : 1))];

function batch(): tf.Tensor3D {
  const random = new SeededRandom(5);
  return tf.tensor3d(
    Float32Array.from({ length: B * R * R }, () => random.normal() * 0.3),
    [B, R, R],
  );
}

/** The batch's [B, E] edges for the whole-connectome token: its matrices' upper triangles. */
function inputs(withEdges: boolean): BrainBatch {
  const fc = batch();
  if (!withEdges) return { fc, edges: null };
  const values = fc.dataSync();
  const edges: number[] = [];
  for (let b = 0; b < B; b += 1)
    for (let i = 0; i < R; i += 1) for (let j = i + 1; j < R; j += 1) edges.push(values[b * R * R + i * R + j]!);
  return { fc, edges: tf.tensor2d(edges, [B, (R * (R - 1)) / 2]) };
}

function gradients(variant: 'neurolip-v1' | 'neurolip', lambdaNeg: number, forceGate?: -1 | 0 | 1): Record<string, Float32Array> {
  const config = resolveVariant(
    TrainConfig.parse({ variant, d: 8, heads: 2, dropout: 0, inputDropout: 0, lambdaNeg, lambdaDis: 0, seed: 3 }),
  );
  const model = new NeuroLIPModel(R, vocabulary, config);
  const x = inputs(config.globalToken);
  const { grads, value } = tf.variableGrads(() => model.loss(x, codes, true, forceGate).total, model.variables);
  const out = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, Float32Array.from(g.dataSync() as Float32Array)]));
  tf.dispose([x.fc, x.edges ?? [], value, ...Object.values(grads)].flat());
  model.dispose();
  return out;
}

const BRAIN_SIDE = /^(brain\.|l\d+\.|ttca\.)/;
const TOKEN_SIDE = /^(text\.|calt\.t\.)/;

function difference(a: Float32Array, b: Float32Array): number[] {
  return Array.from(a, (v, i) => v - b[i]!);
}

describe('the gated negative gradient', () => {
  it.each(['neurolip-v1', 'neurolip'] as const)(
    '%s: reaches the token side normally, the brain encoder and TTCA reversed, and not the logit scale',
    (variant) => {
      const base = gradients(variant, 0);
      const reversed = gradients(variant, 0.5, -1);
      const plain = gradients(variant, 0.5, 1);
      const stopped = gradients(variant, 0.5, 0);
      let checkedBrain = 0;
      let checkedText = 0;
      for (const name of Object.keys(base)) {
        const sensitive = difference(plain[name]!, base[name]!);
        const applied = difference(reversed[name]!, base[name]!);
        const whenShut = difference(stopped[name]!, base[name]!);
        const size = Math.max(...sensitive.map(Math.abs));
        if (name === 'calt.logit_scale') {
          expect(size).toBeLessThan(1e-6);
        } else if (BRAIN_SIDE.test(name)) {
          applied.forEach((v, i) => expect(v).toBeCloseTo(-sensitive[i]!, 4));
          whenShut.forEach((v) => expect(v).toBeCloseTo(0, 5));
          if (size > 1e-5) checkedBrain += 1;
        } else if (TOKEN_SIDE.test(name)) {
          applied.forEach((v, i) => expect(v).toBeCloseTo(sensitive[i]!, 4));
          whenShut.forEach((v, i) => expect(v).toBeCloseTo(sensitive[i]!, 4));
          if (size > 1e-5) checkedText += 1;
        } else {
          throw new Error(`unclassified variable ${name}`);
        }
      }
      expect(checkedBrain).toBeGreaterThan(5);
      expect(checkedText).toBeGreaterThan(2);
    },
  );

  it('does not leak tensors in a step or a prediction, and repeats exactly for a seed', () => {
    const before = tf.memory().numTensors;
    const config = resolveVariant(TrainConfig.parse({ variant: 'neurolip', d: 8, heads: 2, seed: 1 }));
    const run = () => {
      const model = new NeuroLIPModel(R, vocabulary, config);
      const x = inputs(true);
      const { grads, value } = tf.variableGrads(() => model.loss(x, codes, true).total, model.variables);
      tf.dispose([value, ...Object.values(grads)]);
      const p = model.predict(x, codes, true);
      tf.dispose([x.fc, x.edges!]);
      model.dispose();
      return p;
    };
    const first = run();
    expect(tf.memory().numTensors).toBe(before);
    const second = run();
    expect(Array.from(second.probability)).toEqual(Array.from(first.probability));
    expect(first.dxMaps.length).toBe(B * 2 * R);
    expect(first.ownMaps.sex!.length).toBe(B * R);
  });
});
