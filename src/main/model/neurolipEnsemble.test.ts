import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../synth/random';
import { DX_SEX_VOCABULARY, dxSexCodes, randomBrainBatch, shiftedEdges } from '../../test-support/modelBatch';
import { selectBackend } from '../tf/backend';
import { memberSeed, NeuroLIPEnsemble } from './neurolipEnsemble';
import { NeuroLIPModel, type BrainBatch } from './neurolipModel';
import * as tf from './tf';
import { resolveVariant, TrainConfig } from './trainConfig';

beforeAll(async () => {
  await selectBackend('wasm');
});

const R = 10;
const B = 8;
const vocabulary = DX_SEX_VOCABULARY;
const codes = dxSexCodes(B);
const batch = (): BrainBatch => randomBrainBatch(9, B, R);

/** A small ensemble without group offsets or motion adjustment (their own tests ask for them), sensitive to sex as the vocabulary is. */
const config = (ensemble: number) =>
  resolveVariant(
    TrainConfig.parse({
      variant: 'neurolip',
      d: 8,
      heads: 2,
      dropout: 0,
      inputDropout: 0,
      ensemble,
      seed: 4,
      sensitive: ['sex'],
      readoutOffsets: [],
      motionAdjustment: false,
    }),
  );

function gradientsOf(variables: tf.Variable[], loss: () => tf.Scalar): Float32Array[] {
  const { value, grads } = tf.variableGrads(loss, variables);
  const out = variables.map((v) => Float32Array.from(grads[v.name]!.dataSync() as Float32Array));
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

describe('NeuroLIP ensemble', () => {
  it('reads the connectome token through a fixed basis exactly as through its product with the token weights', () => {
    const x = batch();
    const e = (R * (R - 1)) / 2;
    const k = 5;
    const random = new SeededRandom(3);
    const basis = { values: Float32Array.from({ length: e * k }, () => random.normal()), components: k };
    const settings = resolveVariant(TrainConfig.parse({ ...config(1), connectomeAttention: 0.5 }));
    const projected = new NeuroLIPEnsemble(R, vocabulary, settings, 'projected.', basis);
    const full = new NeuroLIPEnsemble(R, vocabulary, settings, 'full.');
    try {
      const weight = (model: NeuroLIPEnsemble) => model.variables.findIndex((v) => v.name.endsWith('brain.connectome.w'));
      const small = projected.snapshot();
      expect(projected.variables[weight(projected)]!.shape).toEqual([k, 8]);
      // W_full [E, d] = basis [E, k] x W [k, d]; every other weight the same.
      const product = tf.tidy(() =>
        tf.matMul(tf.tensor2d(basis.values, [e, k]), tf.tensor2d(small[weight(projected)]!, [k, 8])).dataSync(),
      );
      full.restore(small.map((w, i) => (i === weight(projected) ? Float32Array.from(product) : w)));
      const a = projected.predict(x, codes, true);
      const b = full.predict(x, codes, true);
      Array.from(a.probability).forEach((p, i) => expect(p).toBeCloseTo(b.probability[i]!, 5));
      Array.from(a.embedding).forEach((v, i) => expect(v).toBeCloseTo(b.embedding[i]!, 4));
      // The token matters: without its weights the prediction differs.
      projected.restore(small.map((w, i) => (i === weight(projected) ? new Float32Array(w.length) : w)));
      expect(Array.from(projected.predict(x, codes, true).probability)).not.toEqual(Array.from(a.probability));
    } finally {
      projected.dispose();
      full.dispose();
      tf.dispose([x.fc, x.edges!]);
    }
  });

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

  it('trains each member on its own gradient and predicts with the members’ weighted mean (the default’s linear member 3)', () => {
    const x = batch();
    const ensemble = new NeuroLIPEnsemble(R, vocabulary, config(3));
    try {
      const [first, second, third] = ensemble.members;
      expect(ensemble.members.map((m) => m.config.seed)).toEqual([4, memberSeed(4, 1), memberSeed(4, 2)]);
      expect(first!.snapshot()[0]).not.toEqual(second!.snapshot()[0]);
      expect(ensemble.variables).toHaveLength(3 * first!.variables.length);

      const joint = gradientsOf(ensemble.trainable, () => ensemble.loss(x, codes, true).total);
      const own = gradientsOf(second!.trainable, () => second!.loss(x, codes, true).total);
      const offset = first!.trainable.length;
      own.forEach((g, k) => expect(Array.from(joint[offset + k]!)).toEqual(Array.from(g)));

      const parts = [first!, second!, third!].map((m) => m.predict(x, codes, true));
      const together = ensemble.predict(x, codes, true);
      // The default's second member (its linear readout) weighs 3 in the probability; the maps are plain means.
      together.probability.forEach((p, i) =>
        expect(p).toBeCloseTo((parts[0]!.probability[i]! + 3 * parts[1]!.probability[i]! + parts[2]!.probability[i]!) / 5, 6),
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

  it('weighs each member’s patient probability by its predictionWeight and keeps the maps plain means', () => {
    const x = batch();
    const settings = resolveVariant(TrainConfig.parse({ ...config(3), memberSettings: [{}, { predictionWeight: 3 }] }));
    const ensemble = new NeuroLIPEnsemble(R, vocabulary, settings);
    try {
      const parts = ensemble.members.map((m) => m.predict(x, codes, true));
      const together = ensemble.predict(x, codes, true);
      together.probability.forEach((p, i) =>
        expect(p).toBeCloseTo((parts[0]!.probability[i]! + 3 * parts[1]!.probability[i]! + parts[2]!.probability[i]!) / 5, 6),
      );
      together.dxMaps.forEach((v, i) => expect(v).toBeCloseTo((parts[0]!.dxMaps[i]! + parts[1]!.dxMaps[i]! + parts[2]!.dxMaps[i]!) / 3, 6));
      const plain = Array.from(
        together.probability,
        (_, i) => (parts[0]!.probability[i]! + parts[1]!.probability[i]! + parts[2]!.probability[i]!) / 3,
      );
      expect(Math.max(...plain.map((p, i) => Math.abs(p - together.probability[i]!)))).toBeGreaterThan(1e-4);
    } finally {
      ensemble.dispose();
      tf.dispose([x.fc, x.edges!]);
    }
  });

  it("moves the combined patient logit by each subject's group offset, fitted by the member with the fitted readout", () => {
    const n = 60;
    const random = randomBrainBatch(9, n, R);
    const subjects = dxSexCodes(n);
    const x = { fc: random.fc, edges: shiftedEdges(random, subjects, -0.3, 0.5) };
    // The 'means' criterion, whose offsets on this cohort are far from 0 (its rates already nearly agree).
    const settings = resolveVariant(TrainConfig.parse({ ...config(2), readoutOffsets: ['sex'], offsetCriterion: 'means' }));
    const ensemble = new NeuroLIPEnsemble(R, vocabulary, settings);
    try {
      const fitted = ensemble.members[1]!;
      expect(ensemble.members.map((m) => m.fittedReadout)).toEqual([false, true]);
      fitted.fitReadout(x.edges, subjects, new Int32Array(n).fill(-1), new Float64Array(n).fill(Number.NaN));
      const offsets = fitted.groupOffsets(subjects)!;
      expect(Math.max(...offsets) - Math.min(...offsets)).toBeGreaterThan(0.01);
      const parts = ensemble.members.map((m) => m.predict(x, subjects, false));
      const logit = (p: number) => Math.log(p / (1 - p));
      ensemble.predict(x, subjects, false).probability.forEach((p, i) => {
        const mixed = (parts[0]!.probability[i]! + 3 * parts[1]!.probability[i]!) / 4;
        expect(logit(p)).toBeCloseTo(logit(mixed) + offsets[i]!, 4);
      });
    } finally {
      ensemble.dispose();
      tf.dispose([random.fc, random.edges!, x.edges]);
    }
  });

  it("takes the patient logit's within-diagnosis slope on head motion away, fitted on the fitted readout's cross-fitted scores", () => {
    const n = 80;
    const random = randomBrainBatch(4, n, R);
    const subjects = dxSexCodes(n);
    const noise = new SeededRandom(2);
    // Patients move more, and motion raises the second edge: a readout of the diagnosis reads motion too.
    const motion = Float64Array.from(subjects[0]!, (dx, i) => (i === 5 ? Number.NaN : 0.1 + 0.1 * dx + 0.2 * noise.next()));
    const e = random.edges!.shape[1];
    const planted = shiftedEdges(random, subjects, 0, 0.5);
    const edges = tf.tensor2d(
      Float32Array.from(planted.dataSync(), (v, k) => v + (k % e === 1 ? 5 * (motion[Math.floor(k / e)]! || 0) : 0)),
      [n, e],
    );
    const x = { fc: random.fc, edges };
    const settings = resolveVariant(TrainConfig.parse({ ...config(2), readoutOffsets: [], motionAdjustment: true }));
    const ensemble = new NeuroLIPEnsemble(R, vocabulary, settings);
    try {
      const fitted = ensemble.members[1]!;
      fitted.fitReadout(edges, subjects, new Int32Array(n).fill(-1), motion);
      const shifts = fitted.motionShifts(motion)!;
      expect(ensemble.members[0]!.motionShifts(motion)).toBeNull();
      expect(shifts[5]).toBe(0);
      // A subject who moves more than the training mean loses log-odds.
      const centre = Array.from(motion)
        .filter(Number.isFinite)
        .reduce((a, b, _, all) => a + b / all.length, 0);
      motion.forEach((m, i) => {
        if (Number.isFinite(m) && Math.abs(m - centre) > 0.01) expect(Math.sign(shifts[i]!)).toBe(-Math.sign(m - centre));
      });
      const parts = ensemble.members.map((m) => m.predict(x, subjects, false));
      const logit = (p: number) => Math.log(p / (1 - p));
      const adjusted = ensemble.predict(x, subjects, false, motion).probability;
      ensemble.predict(x, subjects, false).probability.forEach((p, i) => {
        const mixed = (parts[0]!.probability[i]! + 3 * parts[1]!.probability[i]!) / 4;
        expect(logit(p)).toBeCloseTo(logit(mixed), 4);
        expect(logit(adjusted[i]!)).toBeCloseTo(logit(mixed) + shifts[i]!, 4);
      });
    } finally {
      ensemble.dispose();
      tf.dispose([random.fc, random.edges!, planted, edges]);
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
