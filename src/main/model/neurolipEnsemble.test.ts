import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import { memberSeed, NeuroLIPEnsemble } from './neurolipEnsemble';
import { NeuroLIPModel, type BrainBatch, type Vocabulary } from './neurolipModel';
import * as tf from './tf';
import { resolveVariant, TrainConfig } from './trainConfig';

beforeAll(async () => {
  await selectBackend('wasm');
});

const R = 10;
const B = 8;
const vocabulary: Vocabulary = {
  attributes: [
    { name: 'dx', values: ['control', 'patient'] },
    { name: 'sex', values: ['female', 'male'] },
  ],
};
const codes = [Int32Array.from({ length: B }, (_, i) => i % 2), Int32Array.from({ length: B }, (_, i) => (i % 3 === 0 ? 0 : 1))];

function batch(): BrainBatch {
  const random = new SeededRandom(9);
  const values = Float32Array.from({ length: B * R * R }, () => random.normal() * 0.3);
  const edges: number[] = [];
  for (let b = 0; b < B; b += 1)
    for (let i = 0; i < R; i += 1) for (let j = i + 1; j < R; j += 1) edges.push(values[b * R * R + i * R + j]!);
  return { fc: tf.tensor3d(values, [B, R, R]), edges: tf.tensor2d(edges, [B, (R * (R - 1)) / 2]) };
}

const config = (ensemble: number) =>
  resolveVariant(TrainConfig.parse({ variant: 'neurolip', d: 8, heads: 2, dropout: 0, inputDropout: 0, ensemble, seed: 4 }));

function gradientsOf(variables: tf.Variable[], loss: () => tf.Scalar): Float32Array[] {
  const { value, grads } = tf.variableGrads(loss, variables);
  const out = variables.map((v) => Float32Array.from(grads[v.name]!.dataSync() as Float32Array));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('NeuroLIP ensemble', () => {
  it('with one member is exactly the single model of the same seed', () => {
    const x = batch();
    const ensemble = new NeuroLIPEnsemble(R, vocabulary, config(1));
    const together = ensemble.predict(x, codes, true);
    const weights = ensemble.snapshot();
    ensemble.dispose();
    const single = new NeuroLIPModel(R, vocabulary, config(1));
    const alone = single.predict(x, codes, true);
    expect(single.snapshot()).toEqual(weights);
    single.dispose();
    tf.dispose([x.fc, x.edges!]);
    expect(together).toEqual(alone);
  });

  it('trains each member on its own gradient and predicts with the members’ means', () => {
    const x = batch();
    const ensemble = new NeuroLIPEnsemble(R, vocabulary, config(3));
    try {
      const [first, second, third] = ensemble.members;
      expect(ensemble.members.map((m) => m.config.seed)).toEqual([4, memberSeed(4, 1), memberSeed(4, 2)]);
      expect(first!.snapshot()[0]).not.toEqual(second!.snapshot()[0]);
      expect(ensemble.variables).toHaveLength(3 * first!.variables.length);

      const joint = gradientsOf(ensemble.variables, () => ensemble.loss(x, codes, true).total);
      const own = gradientsOf(second!.variables, () => second!.loss(x, codes, true).total);
      const offset = first!.variables.length;
      own.forEach((g, k) => expect(Array.from(joint[offset + k]!)).toEqual(Array.from(g)));

      const parts = [first!, second!, third!].map((m) => m.predict(x, codes, true));
      const together = ensemble.predict(x, codes, true);
      together.probability.forEach((p, i) =>
        expect(p).toBeCloseTo((parts[0]!.probability[i]! + parts[1]!.probability[i]! + parts[2]!.probability[i]!) / 3, 6),
      );
      together.dxMaps.forEach((v, i) => expect(v).toBeCloseTo((parts[0]!.dxMaps[i]! + parts[1]!.dxMaps[i]! + parts[2]!.dxMaps[i]!) / 3, 6));
      const width = parts[0]!.embedding.length / B;
      expect(together.embedding).toHaveLength(3 * width * B);
      // Subject 5's embedding: the three members' side by side.
      expect(Array.from(together.embedding.subarray(5 * 3 * width + width, 5 * 3 * width + 2 * width))).toEqual(
        Array.from(parts[1]!.embedding.subarray(5 * width, 6 * width)),
      );
    } finally {
      ensemble.dispose();
      tf.dispose([x.fc, x.edges!]);
    }
  });

  it('restores every member from one snapshot', () => {
    const ensemble = new NeuroLIPEnsemble(R, vocabulary, config(2));
    try {
      const saved = ensemble.snapshot();
      ensemble.restore(saved.map((w) => w.map(() => 0.5)));
      expect(ensemble.members[1]!.snapshot()[0]!.every((v) => v === 0.5)).toBe(true);
      ensemble.restore(saved);
      expect(ensemble.snapshot()).toEqual(saved);
      ensemble.dropoutCalls = 7;
      expect(ensemble.members.map((m) => m.dropoutCalls)).toEqual([7, 7]);
    } finally {
      ensemble.dispose();
    }
  });
});
