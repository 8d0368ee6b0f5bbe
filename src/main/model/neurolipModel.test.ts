import { beforeAll, describe, expect, it } from 'vitest';
import { DX_SEX_VOCABULARY, dxSexCodes, randomBrainBatch, shiftedEdges } from '../../test-support/modelBatch';
import { selectBackend } from '../tf/backend';
import { createOptimiser } from '../train/optimiser';
import { fitGroupEraser } from './groupEraser';
import { embeddingGroupDirections } from './losses';
import { NeuroLIPModel, type BrainBatch } from './neurolipModel';
import * as tf from './tf';
import { resolveVariant, TrainConfig } from './trainConfig';

beforeAll(async () => {
  await selectBackend('wasm');
});

const R = 12;
const B = 10;
const vocabulary = DX_SEX_VOCABULARY;
const codes = dxSexCodes(B);

/** A batch of n subjects (B unless given), seed 5, with its [n, E] edges for the whole-connectome token unless `withEdges` is false. */
function inputs(withEdges: boolean, n = B): BrainBatch {
  const batch = randomBrainBatch(5, n, R);
  if (withEdges) return batch;
  batch.edges!.dispose();
  return { fc: batch.fc, edges: null };
}

/** One small model without dropout or group offsets, seed 6: the variant's defaults (neurolip unless given) with `settings` on top. */
function smallModel(settings: Record<string, unknown> = {}): NeuroLIPModel {
  const config = TrainConfig.parse({
    variant: 'neurolip',
    ensemble: 1,
    d: 8,
    heads: 2,
    dropout: 0,
    inputDropout: 0,
    seed: 6,
    sensitive: ['sex'],
    readoutOffsets: [],
    motionAdjustment: false,
    ...settings,
  });
  return new NeuroLIPModel(R, vocabulary, resolveVariant(config));
}

type Case = { variant: 'neurolip-v1' | 'neurolip'; connectomeAttention?: number; sensitiveInput?: 'own' | 'prediction' | 'both' };

function gradients(setting: Case, lambdaNeg: number, forceGate?: -1 | 0 | 1): Record<string, Float32Array> {
  const config = resolveVariant(
    TrainConfig.parse({ ...setting, d: 8, heads: 2, dropout: 0, inputDropout: 0, lambdaNeg, lambdaDis: 0, seed: 3 }),
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
  it.each<Case>([
    { variant: 'neurolip-v1', connectomeAttention: 0 },
    { variant: 'neurolip', connectomeAttention: 0 },
    { variant: 'neurolip', connectomeAttention: 0.5 },
    { variant: 'neurolip', connectomeAttention: 0.5, sensitiveInput: 'prediction' },
    { variant: 'neurolip', connectomeAttention: 0.5, sensitiveInput: 'both' },
  ])(
    '$variant, connectome attention $connectomeAttention, sensitive CALT on $sensitiveInput: reaches the token side normally, the brain encoder and TTCA reversed, and not the logit scale',
    (setting) => {
      const base = gradients(setting, 0);
      const reversed = gradients(setting, 0.5, -1);
      const plain = gradients(setting, 0.5, 1);
      const stopped = gradients(setting, 0.5, 0);
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

  it.each([
    ['own', ['L_sex', 'gate_sex']],
    ['prediction', ['L_sex_dx', 'gate_sex_dx']],
    ['both', ['L_sex', 'L_sex_dx', 'gate_sex', 'gate_sex_dx']],
  ] as const)('with sensitiveInput %s reports the sensitive terms %j', (sensitiveInput, expected) => {
    const model = smallModel({ sensitiveInput, lambdaNeg: 0.5 });
    const x = inputs(true);
    const { terms } = model.loss(x, codes, false);
    tf.dispose([x.fc, x.edges!]);
    const ownScale = model.variables.some((v) => v.name.endsWith('calt.sensitive_scale'));
    const names = Object.keys(terms.terms).filter((t) => /^(L|gate)_sex/.test(t));
    expect(names.sort()).toEqual([...expected].sort());
    for (const name of expected) expect(Number.isFinite(terms.terms[name])).toBe(true);
    // The prediction reading scores sex against the diagnosis-conditioned embedding: a CALT over two groups.
    if (sensitiveInput !== 'own') expect(terms.terms.L_sex_dx).toBeGreaterThan(0);
    // ...with a logit scale of its own, a variable only where that reading exists.
    expect(ownScale).toBe(sensitiveInput !== 'own');
    model.dispose();
  });

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

describe('the attention disentanglement loss', () => {
  it('has the same value whether it reuses the sensitive TTCA maps (gradient to the diagnosis maps only) or recomputes them', () => {
    const terms = (disentangleGradient: 'dx' | 'both') => {
      const model = smallModel({ disentangleGradient, lambdaNeg: 0.5, lambdaDis: 0.1 });
      const x = inputs(true);
      const { grads, value } = tf.variableGrads(() => model.loss(x, codes, true).total, model.variables);
      const wq = Float32Array.from(grads['ttca.q.w']!.dataSync() as Float32Array);
      const { terms } = model.loss(x, codes, false);
      tf.dispose([x.fc, x.edges!, value, ...Object.values(grads)]);
      model.dispose();
      return { dis: terms.terms.L_dis!, wq };
    };
    const reused = terms('dx');
    const recomputed = terms('both');
    expect(reused.dis).toBeGreaterThan(0);
    expect(reused.dis).toBe(recomputed.dis);
    // Only the gradient differs: 'both' also moves the sensitive maps' queries.
    expect(Array.from(reused.wq)).not.toEqual(Array.from(recomputed.wq));
  });

  it("compares with the attribute's pooled token map under disentangleTarget 'pooled', the same whatever each subject's group", () => {
    const dis = (disentangleTarget: 'own' | 'pooled', sexCodes: Int32Array) => {
      const model = smallModel({ disentangleTarget, lambdaNeg: 0.5, lambdaDis: 0.1 });
      const x = inputs(true);
      const { terms } = model.loss(x, [codes[0]!, sexCodes], false);
      tf.dispose([x.fc, x.edges!]);
      model.dispose();
      return terms.terms.L_dis!;
    };
    const swapped = codes[1]!.map((c) => 1 - c);
    const someMissing = codes[1]!.map((c, i) => (i < 4 ? -1 : c));
    expect(dis('pooled', swapped)).toBeCloseTo(dis('pooled', codes[1]!), 6);
    expect(dis('pooled', someMissing)).toBeLessThan(dis('pooled', codes[1]!));
    expect(Math.abs(dis('own', swapped) - dis('own', codes[1]!))).toBeGreaterThan(1e-6);
    expect(dis('pooled', codes[1]!)).not.toBeCloseTo(dis('own', codes[1]!), 6);
  });
});

describe('the TTCA-only diagnosis term', () => {
  it('adds CALT on the attended embedding alone, with its weight, when the connectome token is on', () => {
    const losses = (ttcaLoss: number) => {
      const config = resolveVariant(
        TrainConfig.parse({
          variant: 'neurolip-nofair',
          d: 8,
          heads: 2,
          dropout: 0,
          inputDropout: 0,
          ttcaLoss,
          connectomeAttention: 0.5,
          seed: 2,
        }),
      );
      const model = new NeuroLIPModel(R, vocabulary, config);
      const x = inputs(true);
      const { total, terms } = model.loss(x, codes, false);
      const value = total.dataSync()[0]!;
      tf.dispose([x.fc, x.edges!, total]);
      model.dispose();
      return { value, terms: terms.terms };
    };
    const without = losses(0);
    const withTerm = losses(2);
    expect(without.terms.L_dx_ttca).toBeUndefined();
    expect(withTerm.terms.L_dx).toBeCloseTo(without.terms.L_dx!, 5);
    expect(withTerm.terms.L_dx_ttca).toBeGreaterThan(0);
    expect(withTerm.value).toBeCloseTo(without.value + 2 * withTerm.terms.L_dx_ttca!, 4);
  });
});

describe('regularising the connectome token and the logits', () => {
  function nofair(options: Record<string, number>) {
    return resolveVariant(
      TrainConfig.parse({ variant: 'neurolip-nofair', d: 8, heads: 2, dropout: 0, inputDropout: 0, seed: 4, ...options }),
    );
  }

  it('connectomePenalty adds lambda / 2 times the squared norm of the connectome weights, and lambda W to their gradient', () => {
    const run = (connectomePenalty: number) => {
      const model = new NeuroLIPModel(R, vocabulary, nofair({ connectomePenalty }));
      const x = inputs(true);
      const layer = model.variables.find((v) => v.name.endsWith('connectome.w'))!;
      const { grads, value } = tf.variableGrads(() => model.loss(x, codes, false).total, [layer]);
      const out = {
        loss: value.dataSync()[0]!,
        terms: model.loss(x, codes, false).terms.terms,
        weights: Float32Array.from(layer.dataSync() as Float32Array),
        gradient: Float32Array.from(grads[layer.name]!.dataSync() as Float32Array),
      };
      tf.dispose([x.fc, x.edges!, value, ...Object.values(grads)]);
      model.dispose();
      return out;
    };
    const off = run(0);
    const on = run(0.5);
    const squaredNorm = off.weights.reduce((sum, w) => sum + w * w, 0);
    expect(squaredNorm).toBeGreaterThan(0);
    expect(off.terms.L_connectome_l2).toBeUndefined();
    expect(on.terms.L_connectome_l2).toBeCloseTo(0.25 * squaredNorm, 5);
    expect(on.loss).toBeCloseTo(off.loss + 0.25 * squaredNorm, 4);
    on.gradient.forEach((g, i) => expect(g).toBeCloseTo(off.gradient[i]! + 0.5 * off.weights[i]!, 5));
  });

  it('fixedLogitScale takes the logit scale out of the trained variables and scales every logit by it', () => {
    const logits = (fixedLogitScale: number) => {
      const model = new NeuroLIPModel(R, vocabulary, nofair({ fixedLogitScale }));
      const x = inputs(true);
      const trained = model.variables.map((v) => v.name);
      const p = model.predict(x, codes, false).probability;
      tf.dispose([x.fc, x.edges!]);
      model.dispose();
      return { trained, logit: Array.from(p, (q) => Math.log(q / (1 - q))) };
    };
    const before = tf.memory().numTensors;
    const three = logits(3);
    const six = logits(6);
    expect(tf.memory().numTensors).toBe(before);
    expect(three.trained).not.toContain('calt.logit_scale');
    expect(logits(0).trained).toContain('calt.logit_scale');
    expect(Math.max(...three.logit.map(Math.abs))).toBeGreaterThan(1e-3);
    six.logit.forEach((value, i) => expect(value).toBeCloseTo(2 * three.logit[i]!, 4));
  });
});

describe('how the connectome token enters the logits', () => {
  /** The patient-minus-control logit of each subject with the connectome token's weights scaled by each factor. */
  function logitsWithScaledToken(
    connectomeReadout: 'embedding' | 'logit',
    factors: number[],
    expectZeroStart = false,
    connectomeAlone = false,
    connectomeWarmup = 0,
  ): number[][] {
    const model = smallModel({ connectomeReadout, connectomeWarmup });
    model.connectomeAlone = connectomeAlone;
    const x = inputs(true);
    const layer = model.variables.find((v) => v.name.endsWith('connectome.w'))!;
    if (expectZeroStart) expect(Math.max(...Array.from(layer.dataSync() as Float32Array, Math.abs))).toBe(0);
    tf.tidy(() => layer.assign(tf.randomNormal(layer.shape, 0, 0.05, 'float32', 7)));
    const initial = layer.clone();
    const out = factors.map((factor) => {
      tf.tidy(() => layer.assign(tf.mul(initial, factor)));
      return Array.from(model.predict(x, codes, false).probability, (p) => Math.log(p / (1 - p)));
    });
    tf.dispose([x.fc, x.edges!, initial]);
    model.dispose();
    return out;
  }

  it('as a logit, starts from zero weights and adds a term linear in them; as an embedding, it does not', () => {
    const [none, once, twice] = logitsWithScaledToken('logit', [0, 1, 2], true);
    once!.forEach((value, i) => expect(twice![i]! - value).toBeCloseTo(value - none![i]!, 3));
    expect(Math.max(...once!.map((value, i) => Math.abs(value - none![i]!)))).toBeGreaterThan(0.01);
    const [plainNone, plainOnce, plainTwice] = logitsWithScaledToken('embedding', [0, 1, 2]);
    const curvature = plainOnce!.map((value, i) => Math.abs(plainTwice![i]! - 2 * value + plainNone![i]!));
    expect(Math.max(...curvature)).toBeGreaterThan(0.01);
  });

  it('in its warm-up, is the logits alone: a linear term and a constant as a logit, and blind to the attention as an embedding', () => {
    const [none, once, twice] = logitsWithScaledToken('logit', [0, 1, 2], true, true);
    const spread = (logits: number[]) => Math.max(...logits) - Math.min(...logits);
    expect(spread(none!)).toBeLessThan(1e-5);
    once!.forEach((value, i) => expect(twice![i]! - value).toBeCloseTo(value - none![i]!, 3));
    expect(spread(once!)).toBeGreaterThan(0.01);
    const [withAttention] = logitsWithScaledToken('logit', [0], true, false);
    expect(spread(withAttention!)).toBeGreaterThan(0.01);
    // With a warm-up, the attention pathway's output starts at zero: after the warm-up it adds a constant.
    const [afterWarmup] = logitsWithScaledToken('logit', [0], true, false, 5);
    expect(spread(afterWarmup!)).toBeLessThan(1e-5);

    const embeddingLogits = (alone: boolean, perturbAttention: boolean) => {
      const model = smallModel();
      model.connectomeAlone = alone;
      const output = model.variables.find((v) => v.name.endsWith('ttca.o.w'))!;
      if (perturbAttention) tf.tidy(() => output.assign(tf.randomNormal(output.shape, 0, 1, 'float32', 3)));
      const x = inputs(true);
      const p = Array.from(model.predict(x, codes, false).probability);
      tf.dispose([x.fc, x.edges!]);
      model.dispose();
      return p;
    };
    const alone = embeddingLogits(true, false);
    embeddingLogits(true, true).forEach((p, i) => expect(p).toBeCloseTo(alone[i]!, 6));
    const joint = embeddingLogits(false, false);
    expect(Math.max(...embeddingLogits(false, true).map((p, i) => Math.abs(p - joint[i]!)))).toBeGreaterThan(1e-3);
  });
});

describe('the equalised-odds penalty', () => {
  function losses(variant: 'neurolip' | 'neurolip-nofair', oddsPenalty: number) {
    const model = smallModel({ variant, lambdaNeg: 0, lambdaDis: 0, oddsPenalty });
    const x = inputs(true);
    const { total, terms } = model.loss(x, codes, false);
    const value = total.dataSync()[0]!;
    const probability = model.predict(x, codes, false).probability;
    tf.dispose([x.fc, x.edges!, total]);
    model.dispose();
    return { value, terms: terms.terms, probability };
  }

  it('adds its weight times the between-sex variance of the patient probability within each diagnosis', () => {
    const off = losses('neurolip', 0);
    const on = losses('neurolip', 3);
    let expected = 0;
    for (const dx of [0, 1]) {
      const within = Array.from(off.probability).filter((_, i) => codes[0]![i] === dx);
      const mean = within.reduce((a, b) => a + b, 0) / within.length;
      for (const sex of [0, 1]) {
        const group = Array.from(off.probability).filter((_, i) => codes[0]![i] === dx && codes[1]![i] === sex);
        const groupMean = group.reduce((a, b) => a + b, 0) / group.length;
        expected += (group.length / within.length) * (groupMean - mean) ** 2;
      }
    }
    expect(expected).toBeGreaterThan(1e-6);
    expect(off.terms.L_odds).toBeUndefined();
    expect(on.terms.L_odds).toBeCloseTo(expected, 6);
    expect(on.value).toBeCloseTo(off.value + 3 * expected, 5);
  });

  it('is fairness machinery: neurolip-nofair leaves it out', () => {
    expect(losses('neurolip-nofair', 3).terms.L_odds).toBeUndefined();
  });
});

describe('the embedding penalty', () => {
  function gradientsWith(variant: 'neurolip' | 'neurolip-nofair', embeddingPenalty: number, embeddingPenaltyScale = 'share') {
    const model = smallModel({ variant, lambdaNeg: 0, lambdaDis: 0, embeddingPenalty, embeddingPenaltyScale });
    const x = inputs(true);
    const { grads, value } = tf.variableGrads(() => model.loss(x, codes, true).total, model.variables);
    const out = Object.fromEntries(Object.entries(grads).map(([name, g]) => [name, Float32Array.from(g.dataSync() as Float32Array)]));
    const { terms } = model.loss(x, codes, false);
    tf.dispose([x.fc, x.edges!, value, ...Object.values(grads)]);
    model.dispose();
    return { grads: out, loss: terms.loss, terms: terms.terms };
  }

  it('adds the between-sex share of the standardised embedding within each diagnosis, moving the brain side only', () => {
    const off = gradientsWith('neurolip', 0);
    const on = gradientsWith('neurolip', 2);
    expect(off.terms.L_embedding).toBeUndefined();
    // A share of each feature's variance within a diagnosis: at most 1 per diagnosis.
    expect(on.terms.L_embedding).toBeGreaterThan(0);
    expect(on.terms.L_embedding).toBeLessThan(2);
    expect(on.loss).toBeCloseTo(off.loss + 2 * on.terms.L_embedding!, 4);
    let movedBrain = 0;
    for (const name of Object.keys(off.grads)) {
      const change = Math.max(...difference(on.grads[name]!, off.grads[name]!).map(Math.abs));
      if (TOKEN_SIDE.test(name) || name === 'calt.logit_scale') expect(change).toBeLessThan(1e-7);
      else if (BRAIN_SIDE.test(name) && change > 1e-6) movedBrain += 1;
    }
    expect(movedBrain).toBeGreaterThan(3);
  });

  it('on the chance scale, divides each diagnosis’s share by (groups − 1) / (subjects − 1)', () => {
    // Each diagnosis has five subjects of two sexes here: the chance share is 1 / 4.
    const share = gradientsWith('neurolip', 2).terms.L_embedding!;
    const chance = gradientsWith('neurolip', 2, 'chance');
    expect(chance.terms.L_embedding).toBeCloseTo(4 * share, 5);
    expect(chance.loss).toBeCloseTo(gradientsWith('neurolip', 0).loss + 2 * chance.terms.L_embedding!, 4);
  });

  it('from the training subjects’ offsets, needs them set first', () => {
    const model = smallModel({ lambdaNeg: 0, lambdaDis: 0, embeddingPenalty: 1, embeddingPenaltyEstimate: 'training' });
    const x = inputs(true);
    expect(() => model.loss(x, codes, true)).toThrow(/needs the group directions/);
    tf.dispose([x.fc, x.edges!]);
    model.dispose();
  });

  it('is fairness machinery: neurolip-nofair leaves it out', () => {
    expect(gradientsWith('neurolip-nofair', 2).terms.L_embedding).toBeUndefined();
  });
});

describe('the direction penalty', () => {
  /** Loss terms of a small model whose group directions are the discriminant directions over this batch's own embeddings. */
  function termsWith(variant: 'neurolip' | 'neurolip-nofair', directionPenalty: number) {
    const model = smallModel({ variant, lambdaNeg: 0, lambdaDis: 0, embeddingPenalty: 0, directionPenalty });
    const x = inputs(true);
    const { embedding } = model.predict(x, codes, false);
    model.groupDirections = embeddingGroupDirections(embedding, embedding.length / B, codes, true);
    const { terms } = model.loss(x, codes, false);
    tf.dispose([x.fc, x.edges!]);
    model.dispose();
    return { loss: terms.loss, terms: terms.terms };
  }

  it('adds its weight times the batch gaps projected on the discriminant directions, positive on the subjects they come from', () => {
    const off = termsWith('neurolip', 0);
    const on = termsWith('neurolip', 3);
    expect(off.terms.L_direction).toBeUndefined();
    // Each gap against (S + I)^-1 times itself: a positive-definite form.
    expect(on.terms.L_direction).toBeGreaterThan(1e-4);
    expect(on.terms.L_embedding).toBeUndefined();
    expect(on.loss).toBeCloseTo(off.loss + 3 * on.terms.L_direction!, 4);
  });

  it('needs the group directions set first, and stands beside the batch estimate', () => {
    const model = smallModel({ lambdaNeg: 0, lambdaDis: 0, embeddingPenalty: 1, directionPenalty: 1 });
    const x = inputs(true);
    expect(() => model.loss(x, codes, true)).toThrow(/needs the group directions/);
    const { embedding } = model.predict(x, codes, false);
    model.groupDirections = embeddingGroupDirections(embedding, embedding.length / B, codes, true);
    const { terms } = model.loss(x, codes, false).terms;
    expect(terms.L_embedding).toBeGreaterThan(0);
    expect(terms.L_direction).toBeGreaterThan(0);
    tf.dispose([x.fc, x.edges!]);
    model.dispose();
  });

  it('is fairness machinery: neurolip-nofair leaves it out', () => {
    expect(termsWith('neurolip-nofair', 3).terms.L_direction).toBeUndefined();
  });
});

describe('the group eraser', () => {
  /** Per diagnosis, the largest difference over the embedding's features between a sex's mean and the diagnosis's. */
  function largestGroupGap(embedding: Float32Array): number {
    const width = embedding.length / B;
    let largest = 0;
    for (const dx of [0, 1]) {
      const mean = (keep: (i: number) => boolean, f: number) => {
        const rows = Array.from({ length: B }, (_, i) => i).filter(keep);
        return rows.reduce((sum, i) => sum + embedding[i * width + f]!, 0) / rows.length;
      };
      for (let f = 0; f < width; f += 1)
        for (const sex of [0, 1])
          largest = Math.max(
            largest,
            Math.abs(mean((i) => codes[0]![i] === dx && codes[1]![i] === sex, f) - mean((i) => codes[0]![i] === dx, f)),
          );
    }
    return largest;
  }

  it('erases the sexes’ mean differences within each diagnosis from the embedding the diagnosis is read from', () => {
    const model = smallModel();
    const x = inputs(true);
    const whole = model.predict(x, codes, false);
    model.eraser = fitGroupEraser(whole.embedding, whole.embedding.length / B, codes);
    const erased = model.predict(x, codes, false);
    expect(largestGroupGap(whole.embedding)).toBeGreaterThan(1e-2);
    expect(largestGroupGap(erased.embedding)).toBeLessThan(1e-5);
    // The diagnosis is read from the erased embedding.
    expect(Math.max(...difference(erased.probability, whole.probability).map(Math.abs))).toBeGreaterThan(1e-4);
    model.eraser = fitGroupEraser(whole.embedding, whole.embedding.length / B, [codes[0]!, new Int32Array(B)]);
    expect(Array.from(model.predict(x, codes, false).probability)).toEqual(Array.from(whole.probability));
    tf.dispose([x.fc, x.edges!]);
    model.dispose();
  });
});

describe('a connectome readout fitted first (connectomeOptimiser converged)', () => {
  const PENALTY = 3;

  const fittedModel = (): NeuroLIPModel =>
    smallModel({ connectomeReadout: 'logit', connectomeOptimiser: 'converged', connectomePenalty: PENALTY });

  const readout = (model: NeuroLIPModel) => ({
    w: Array.from(model.variables.find((v) => v.name.endsWith('connectome.w'))!.dataSync() as Float32Array),
    b: model.variables.find((v) => v.name.endsWith('connectome.b'))!.dataSync()[0]!,
  });

  const patientLogits = (model: NeuroLIPModel, x: BrainBatch): number[] =>
    Array.from(model.predict(x, codes, false).probability, (p) => Math.log(p / (1 - p)));

  it('reaches the penalised logistic regression optimum on the subjects it is fitted to', () => {
    const model = fittedModel();
    const x = inputs(true);
    model.fitReadout(x.edges!, codes, new Int32Array(B).fill(-1), new Float64Array(B).fill(Number.NaN));
    const { w, b } = readout(model);
    const edges = x.edges!.arraySync();
    const residual = edges.map((row, i) => 1 / (1 + Math.exp(-row.reduce((s, v, k) => s + v * w[k]!, b))) - codes[0]![i]!);
    // The gradient of mean log-loss + penalty / 2 |w|^2 vanishes at the optimum; the bias is not penalised.
    const gradient = w.map((wk, k) => residual.reduce((s, r, i) => s + r * edges[i]![k]!, 0) / B + PENALTY * wk);
    expect(Math.max(...w.map(Math.abs))).toBeGreaterThan(1e-3);
    expect(Math.max(...gradient.map(Math.abs))).toBeLessThan(1e-4);
    expect(Math.abs(residual.reduce((s, r) => s + r, 0) / B)).toBeLessThan(1e-4);
    tf.dispose([x.fc, x.edges!]);
    model.dispose();
  });

  it('adds its score to the patient-minus-control logit, beside an attention pathway that starts from zero', () => {
    const model = fittedModel();
    const x = inputs(true);
    const before = patientLogits(model, x);
    expect(Math.max(...before) - Math.min(...before)).toBeLessThan(1e-5);
    model.fitReadout(x.edges!, codes, new Int32Array(B).fill(-1), new Float64Array(B).fill(Number.NaN));
    const { w, b } = readout(model);
    const scores = x.edges!.arraySync().map((row) => row.reduce((s, v, k) => s + v * w[k]!, b));
    const after = patientLogits(model, x);
    expect(Math.max(...scores) - Math.min(...scores)).toBeGreaterThan(0.01);
    after.forEach((logit, i) => expect(logit - after[0]!).toBeCloseTo(scores[i]! - scores[0]!, 4));
    tf.dispose([x.fc, x.edges!]);
    model.dispose();
  });

  it('is held fixed: not trained, not penalised in the loss, and unchanged by a training step', () => {
    const model = fittedModel();
    const x = inputs(true);
    model.fitReadout(x.edges!, codes, new Int32Array(B).fill(-1), new Float64Array(B).fill(Number.NaN));
    const fitted = readout(model);
    expect(model.trainable.map((v) => v.name).filter((name) => name.includes('connectome'))).toEqual([]);
    expect(model.trainable.length).toBe(model.variables.length - 2);
    const query = model.variables.find((v) => v.name.endsWith('ttca.q.w'))!;
    const queryBefore = Float32Array.from(query.dataSync() as Float32Array);
    const optimiser = createOptimiser([model]);
    const { value, grads } = tf.variableGrads(() => {
      const { total, terms } = model.loss(x, codes, true);
      expect(terms.terms.L_connectome_l2).toBeUndefined();
      return total;
    }, model.trainable);
    optimiser.apply(grads);
    expect(readout(model)).toEqual(fitted);
    expect(Math.max(...Array.from(query.dataSync() as Float32Array, (v, i) => Math.abs(v - queryBefore[i]!)))).toBeGreaterThan(0);
    tf.dispose([x.fc, x.edges!, value, ...Object.values(grads)]);
    optimiser.dispose();
    model.dispose();
  });

  it('with readout offsets, fits each sex an offset from cross-fitted scores, which neither its own prediction nor training sees', () => {
    const n = 60;
    const x = inputs(true, n);
    const subjects = dxSexCodes(n);
    const sex = subjects[1]!;
    // Women's edges all sit lower, and the first edge carries the diagnosis.
    const batchOf = { fc: x.fc, edges: shiftedEdges(x, subjects, -0.3, 0.5) };
    const plain = fittedModel();
    plain.fitReadout(batchOf.edges, subjects, new Int32Array(n).fill(-1), new Float64Array(n).fill(Number.NaN));
    const plainReadout = readout(plain);
    const plainProbability = plain.predict(batchOf, subjects, false).probability;
    const plainLoss = plain.loss(batchOf, subjects, false).total.dataSync()[0]!;
    expect(plain.groupOffsets(subjects)).toBeNull();
    plain.dispose();

    const offset = smallModel({
      connectomeReadout: 'logit',
      connectomeOptimiser: 'converged',
      connectomePenalty: PENALTY,
      readoutOffsets: ['sex'],
      offsetCriterion: 'means',
    });
    offset.fitReadout(batchOf.edges, subjects, new Int32Array(n).fill(-1), new Float64Array(n).fill(Number.NaN));
    expect(readout(offset)).toEqual(plainReadout);
    expect(offset.trainable.map((v) => v.name).filter((name) => name.includes('connectome'))).toEqual([]);
    const offsets = Array.from(offset.variables.find((v) => v.name.endsWith('connectome.offsets'))!.dataSync() as Float32Array);
    expect(Math.abs(offsets[0]! - offsets[1]!)).toBeGreaterThan(0.01);
    expect(Array.from(offset.groupOffsets(subjects)!)).toEqual(Array.from(sex, (s) => offsets[s]!));
    // A subject whose sex is unknown gets no offset.
    expect(Array.from(offset.groupOffsets([subjects[0]!, Int32Array.from(sex, () => -1)])!)).toEqual(Array(n).fill(0));
    expect(offset.predict(batchOf, subjects, false).probability).toEqual(plainProbability);
    expect(offset.loss(batchOf, subjects, false).total.dataSync()[0]).toBeCloseTo(plainLoss, 6);
    offset.dispose();

    // offsetCriterion 'rates' reaches the same cross-fitted scores with the other criterion: other offsets, the same direction.
    const byRates = smallModel({
      connectomeReadout: 'logit',
      connectomeOptimiser: 'converged',
      connectomePenalty: PENALTY,
      readoutOffsets: ['sex'],
      offsetCriterion: 'rates',
    });
    byRates.fitReadout(batchOf.edges, subjects, new Int32Array(n).fill(-1), new Float64Array(n).fill(Number.NaN));
    const rateOffsets = Array.from(byRates.variables.find((v) => v.name.endsWith('connectome.offsets'))!.dataSync() as Float32Array);
    expect(rateOffsets).not.toEqual(offsets);
    expect(Math.sign(rateOffsets[0]! - rateOffsets[1]!)).toBe(Math.sign(offsets[0]! - offsets[1]!));
    tf.dispose([x.fc, x.edges!, batchOf.edges]);
    byRates.dispose();
  });
});
