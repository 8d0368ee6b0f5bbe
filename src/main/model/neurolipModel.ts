import * as tf from './tf';
import { oneHotRows } from './oneHot';
import { SeededRandom } from '../synth/random';
import { batchMatMul } from './batchedProduct';
import { scaleGradient, stopGradient, type GradientGate } from './gradientScale';
import { eraseGroups, type GroupEraser } from './groupEraser';
import { crossFittedScores, groupOffsets } from './groupOffsets';
import { fitMotionSlope, motionShift } from './motionSlope';
import { fitL2Logistic } from './l2Logistic';
import { betweenGroupVariance, bhattacharyya, caltLoss, caltWithinGroups, equalisedOddsPenalty, projectedGroupVariance } from './losses';
import { affine2d, ConstantProduct, dataAffine2d, matMul2d } from './matMul2d';
import { constantVariable, linear, normalVariable } from './seededInit';
import type { TrainConfig } from './trainConfig';

/** The token vocabulary: attribute 0 is the target (diagnosis); the others are sensitive. */
export interface Vocabulary {
  attributes: { name: string; values: string[] }[];
}

interface Linear {
  w: tf.Variable;
  b: tf.Variable | null;
}

interface EncoderLayer {
  ln1: [tf.Variable, tf.Variable];
  qkv: Linear;
  out: Linear;
  ln2: [tf.Variable, tf.Variable];
  ff1: Linear;
  ff2: Linear;
}

export interface LossTerms {
  loss: number;
  /** L_CALT per attribute, gate per sensitive attribute (1 open, 0 shut), and L_dis. */
  terms: Record<string, number>;
}

export interface Predictions {
  /** [B] p(patient) = softmax over the diagnosis tokens, index 1. */
  probability: Float32Array;
  /** [B, C_dx * d] the diagnosis-conditioned brain embeddings, for the leakage probe. */
  embedding: Float32Array;
  /** [B, C_dx, R] attention maps of each diagnosis token (mean over heads); empty for clip-global. */
  dxMaps: Float32Array;
  /** Per sensitive attribute: [B, R] map of the subject's own token (NaN when missing). */
  ownMaps: Record<string, Float32Array>;
}

type ModelConfig = TrainConfig & { ttca: boolean };

/** Passes a tensor on unchanged and scales the gradient flowing back through it by the gate's factor. */
type Reverse = <T extends tf.Tensor>(x: T) => T;

/**
 * The whole-connectome token's linear layer; its variables are named `<scope>brain.connectome.w` and
 * `.b`, and a fitted readout's per-group offsets `.offsets` and motion slope `.motion`.
 */
const CONNECTOME_LAYER = 'brain.connectome';

export const isConnectomeVariable = (name: string): boolean =>
  ['w', 'b', 'offsets', 'motion'].some((part) => name.endsWith(`${CONNECTOME_LAYER}.${part}`));

/** A fixed [E, k] basis the connectome token's edges are multiplied with before its linear layer. */
export interface ConnectomeProjection {
  product: ConstantProduct;
  components: number;
}

/** One batch of brain inputs: [B, R, R] connectivity, and [B, E] upper-triangle edges for the whole-connectome token. */
export interface BrainBatch {
  fc: tf.Tensor3D;
  edges: tf.Tensor2D | null;
}

/**
 * NeuroLIP, as in the spec: a region-token brain encoder, an independent token text encoder,
 * TTCA, CALT, the Bhattacharyya disentanglement loss and the gated negative gradient on
 * sensitive CALT. Shapes are written as [batch B, ROIs R, width d, heads H, candidates C].
 * Every matrix product that can be a plain 2-D one is (the fast path on wasm).
 */
export class NeuroLIPModel {
  readonly variables: tf.Variable[] = [];
  private readonly random: SeededRandom;
  private readonly inProjection: Linear;
  private readonly position: tf.Variable;
  private readonly layers: EncoderLayer[] = [];
  private readonly finalNorm: [tf.Variable, tf.Variable];
  private readonly embedding: tf.Variable;
  private readonly typeEmbedding: tf.Variable;
  private readonly mlp1: Linear;
  private readonly mlp2: Linear;
  private readonly wq: Linear;
  private readonly wk: Linear;
  private readonly wv: Linear;
  private readonly wo: Linear;
  private readonly wt: Linear;
  private readonly connectome: Linear | null;
  /** Product with the [R, E] 0/1 matrix whose column k marks edge k's two regions (attention-weighted connectome only). */
  private readonly endpoints: ConstantProduct | null;
  readonly logitScale: tf.Variable;
  /** [attributes - 1] log scales of the sensitive tokens' logits on the prediction embedding (sensitiveInput 'prediction' or 'both'); null without. */
  private readonly sensitiveScale: tf.Variable | null;
  private readonly tokenAttribute: number[];
  private readonly slices: { start: number; size: number }[];
  /** Dropout masks drawn so far: each mask's seed derives from it, so resuming restores it. */
  dropoutCalls = 0;
  /**
   * Each sensitive group's offset from its diagnosis's mean in the standardised prediction embedding
   * over the training subjects (embeddingGroupDirections, keyed `attribute:dx:group`), or their discriminant
   * directions, which the embedding penalty pushes against with embeddingPenaltyEstimate 'training'
   * or 'discriminant', and the direction penalty with the latter; the trainer sets it at the start of every epoch.
   */
  groupDirections: Map<string, Float32Array> | null = null;
  /**
   * The sensitive groups' mean differences erased from the embedding the diagnosis is read from
   * (config.erasedAttributes); the trainer fits it on the training subjects once training has
   * ended, so it acts on the test predictions, the probes' embeddings and nothing during training.
   */
  eraser: GroupEraser | null = null;
  /**
   * What prediction takes from the patient-minus-control logit beside a readout fitted first: the
   * attention pathway's mean share over the training subjects once set (config.pathwayCentring); 0 until then.
   */
  pathwayShift = 0;
  /** While true the logits are the whole-connectome token's term alone (its warm-up, config.connectomeWarmup). */
  connectomeAlone = false;
  /**
   * Whether the whole-connectome token is a linear readout fitted before training and then held fixed
   * (connectomeOptimiser 'converged'): one weight per edge and a bias, adding half its score to the
   * patient token's logit and taking half from the control token's.
   */
  readonly fittedReadout: boolean;
  /**
   * The vocabulary indices of the attributes whose groups offset the patient logit at prediction
   * (config.readoutOffsets), and the offsets, one per group of each in turn, estimated on the fitted
   * readout's cross-fitted scores; null without.
   */
  private readonly offsetAttributes: number[];
  private readonly readoutOffsets: tf.Variable | null;
  /**
   * The patient log-odds' within-diagnosis slope on head motion and its centre (config.motionAdjustment),
   * estimated on the fitted readout's cross-fitted scores after the group offsets; null without.
   */
  private readonly motionFit: tf.Variable | null;

  constructor(
    readonly rois: number,
    readonly vocabulary: Vocabulary,
    readonly config: ModelConfig,
    /** A prefix for the variables' names, which TensorFlow.js keeps unique (ensemble members). */
    scope = '',
    /** The connectome token's fixed input basis [E, k] (config.connectomeComponents; owned by the caller). */
    private readonly projection: ConnectomeProjection | null = null,
  ) {
    const { d } = config;
    this.random = new SeededRandom(config.seed * 7919 + 1);
    const r = this.random;
    const track = <T extends tf.Variable | null>(v: T): T => {
      if (v) this.variables.push(v);
      return v;
    };
    const lin = (fanIn: number, fanOut: number, name: string, bias = true): Linear => {
      const l = linear(r, fanIn, fanOut, name, bias);
      track(l.w);
      track(l.b);
      return l;
    };
    const norm = (name: string): [tf.Variable, tf.Variable] => [
      track(constantVariable(1, [d], `${name}.g`)),
      track(constantVariable(0, [d], `${name}.b`)),
    ];
    this.inProjection = lin(rois, d, scope + 'brain.in');
    this.position = track(normalVariable(r, [rois, d], 0.02, scope + 'brain.position'));
    for (let l = 0; l < config.layers; l += 1) {
      this.layers.push({
        ln1: norm(`${scope}l${l}.ln1`),
        qkv: lin(d, 3 * d, scope + `l${l}.qkv`),
        out: lin(d, d, scope + `l${l}.out`),
        ln2: norm(`${scope}l${l}.ln2`),
        ff1: lin(d, 2 * d, scope + `l${l}.ff1`),
        ff2: lin(2 * d, d, scope + `l${l}.ff2`),
      });
    }
    this.finalNorm = norm(scope + 'brain.norm');
    this.tokenAttribute = vocabulary.attributes.flatMap((attribute, a) => attribute.values.map(() => a));
    let start = 0;
    this.slices = vocabulary.attributes.map((attribute) => {
      const slice = { start, size: attribute.values.length };
      start += attribute.values.length;
      return slice;
    });
    this.embedding = track(normalVariable(r, [this.tokenAttribute.length, d], 1, scope + 'text.E'));
    this.typeEmbedding = track(normalVariable(r, [vocabulary.attributes.length, d], 1, scope + 'text.T'));
    this.mlp1 = lin(d, d, scope + 'text.mlp1');
    this.mlp2 = lin(d, d, scope + 'text.mlp2');
    this.wq = lin(d, d, scope + 'ttca.q');
    this.wk = lin(d, d, scope + 'ttca.k');
    this.wv = lin(d, d, scope + 'ttca.v');
    this.wo = lin(d, d, scope + 'ttca.o');
    this.wt = lin(d, d, scope + 'calt.t', false);
    this.fittedReadout = config.globalToken && config.connectomeOptimiser === 'converged';
    this.connectome = config.globalToken
      ? lin(projection ? projection.components : (rois * (rois - 1)) / 2, this.fittedReadout ? 1 : d, scope + CONNECTOME_LAYER)
      : null;
    // A linear readout starts from zero weights, as a penalised linear fit does: random ones would add a
    // random projection of every subject's edges to its logits until the penalty has shrunk them.
    if (this.connectome && config.connectomeReadout === 'logit') tf.tidy(() => this.connectome!.w.assign(tf.zerosLike(this.connectome!.w)));
    if (this.connectome?.b && this.fittedReadout) tf.tidy(() => this.connectome!.b!.assign(tf.zerosLike(this.connectome!.b!)));
    this.offsetAttributes = this.fittedReadout
      ? config.readoutOffsets.map((name) => vocabulary.attributes.findIndex((a) => a.name === name))
      : [];
    if (this.offsetAttributes.includes(-1)) throw new Error('Readout offsets need attributes of the vocabulary.');
    const groups = this.offsetAttributes.reduce((sum, a) => sum + vocabulary.attributes[a]!.values.length, 0);
    this.readoutOffsets = groups > 0 ? track(constantVariable(0, [groups], scope + CONNECTOME_LAYER + '.offsets')) : null;
    this.motionFit =
      this.fittedReadout && config.motionAdjustment ? track(constantVariable(0, [2], scope + CONNECTOME_LAYER + '.motion')) : null;
    // After the connectome token's warm-up, or beside a readout fitted first, the attention pathway enters
    // the logits from zero (its output projection starts at zero, as residual branches do in ReZero), so a
    // random attention term does not overwrite what the connectome token fitted.
    if (config.connectomeWarmup > 0 || this.fittedReadout) tf.tidy(() => this.wo.w.assign(tf.zerosLike(this.wo.w)));
    this.endpoints =
      config.globalToken && config.connectomeAttention > 0 && !this.fittedReadout ? new ConstantProduct(edgeEndpoints(rois)) : null;
    // A fixed scale is a constant, not a variable: the optimiser, checkpoints and averages never see it.
    const fixedScale = config.fixedLogitScale > 0;
    const scale = tf.tidy(() =>
      tf.variable(tf.scalar(Math.log(fixedScale ? config.fixedLogitScale : 1 / 0.07)), !fixedScale, scope + 'calt.logit_scale'),
    );
    this.logitScale = fixedScale ? scale : track(scale);
    // The adversary's own logit scale per sensitive attribute, for the reading of the standardised
    // prediction embedding, whose norm is about sqrt(d): the diagnosis scale (up to 100) made it so
    // overconfident that its loss stayed above chance, with the gate shut.
    this.sensitiveScale =
      config.sensitiveInput !== 'own' && config.lambdaNeg > 0 && vocabulary.attributes.length > 1
        ? track(constantVariable(Math.log(Math.sqrt(d)), [vocabulary.attributes.length - 1], scope + 'calt.sensitive_scale'))
        : null;
  }

  /** The variables that training steps: all but a readout fitted first. */
  get trainable(): tf.Variable[] {
    return this.fittedReadout ? this.variables.filter((v) => !isConnectomeVariable(v.name)) : this.variables;
  }

  /**
   * Fits the readout held fixed (connectomeOptimiser 'converged') on the training subjects' edges
   * [n, E] and diagnoses (1 patient): L2-penalised logistic regression, mean log-loss plus
   * connectomePenalty / 2 times the squared weights (scikit-learn's C = 1 / (penalty n)), by L-BFGS
   * to convergence. `codes` are the subjects' token indices (attribute 0 the diagnosis, 1 patient).
   * With readout offsets, each group's offset comes from cross-fitted scores of the same fit
   * (groupOffsets): in-sample scores of a fit to convergence barely differ between groups.
   * `centring` names the statistics that centred each subject's edges (crossFittedScores). With motion
   * adjustment, the same scores moved by the group offsets give the slope on the subjects' `motion`.
   */
  fitReadout(edges: tf.Tensor2D, codes: Int32Array[], centring: Int32Array, motion: ArrayLike<number>): void {
    const readout = this.connectome;
    if (!this.fittedReadout || !readout) throw new Error('This model has no connectome readout fitted first.');
    const n = edges.shape[0];
    const dx = Array.from(codes[0]!);
    const c = 1 / (this.config.connectomePenalty * n);
    const x = tf.tidy(() => this.project(edges));
    const xT = tf.tidy(() => tf.transpose(x));
    try {
      const { w, b } = fitL2Logistic(x, xT, dx, c);
      tf.tidy(() => {
        readout.w.assign(tf.tensor2d(w, [w.length, 1]));
        readout.b!.assign(tf.tensor1d([b]));
      });
      if (!this.readoutOffsets && !this.motionFit) return;
      const scores = crossFittedScores(x, dx, c, this.config.seed, centring);
      if (this.readoutOffsets) {
        const attributes = this.offsetAttributes;
        const offsets = groupOffsets(
          scores,
          dx,
          attributes.map((a) => codes[a]!),
          attributes.map((a) => this.vocabulary.attributes[a]!.values.length),
          { shrink: this.config.offsetShrinkage, criterion: this.config.offsetCriterion },
        );
        tf.tidy(() => this.readoutOffsets!.assign(tf.tensor1d(Float32Array.from(offsets.flatMap((o) => Array.from(o))))));
      }
      if (this.motionFit) {
        const shifts = this.groupOffsets(codes);
        const fitted = fitMotionSlope(shifts ? scores.map((score, i) => score + shifts[i]!) : scores, dx, motion);
        tf.tidy(() => this.motionFit!.assign(tf.tensor1d([fitted.slope, fitted.centre])));
      }
    } finally {
      tf.dispose(x === edges ? [xT] : [x, xT]);
    }
  }

  /**
   * Each subject's patient-minus-control logit less the fitted readout's score, [B]: the attention
   * pathway's share, before any pathwayShift.
   */
  pathwayLogits(input: BrainBatch): Float32Array {
    if (!this.fittedReadout) throw new Error('This model has no connectome readout fitted first.');
    return tf.tidy(() => {
      const side = this.brainSide(input, false);
      const [control, patient] = tf.split(tf.sub(side.sim, this.fittedLogits(input.edges)), 2, 1);
      return Float32Array.from(tf.sub(patient!, control!).dataSync());
    });
  }

  /** The fitted readout's share of the diagnosis logits: [B, 2], minus and plus half its score (control, patient). */
  private fittedLogits(edges: tf.Tensor2D | null): tf.Tensor2D {
    if (!edges) throw new Error('The whole-connectome token needs the batch of edges.');
    const score = NeuroLIPModel.dense(this.project(edges), this.connectome!);
    return stopGradient(tf.matMul(score, tf.tensor2d([[-0.5, 0.5]])));
  }

  /**
   * Each subject's summed group offsets (config.readoutOffsets) from its codes, [B]: what the
   * ensemble adds to its patient logit at prediction (a code of -1 adds nothing); null without offsets.
   */
  groupOffsets(codes: Int32Array[]): Float32Array | null {
    if (!this.readoutOffsets) return null;
    const all = this.readoutOffsets.dataSync() as Float32Array;
    const total = new Float32Array(codes[0]!.length);
    let start = 0;
    for (const a of this.offsetAttributes) {
      codes[a]!.forEach((code, i) => {
        if (code >= 0) total[i]! += all[start + code]!;
      });
      start += this.vocabulary.attributes[a]!.values.length;
    }
    return total;
  }

  /** What motion adjustment adds to each subject's patient logit at prediction, from its `motion` (motionShift); null without. */
  motionShifts(motion: ArrayLike<number>): Float32Array | null {
    if (!this.motionFit) return null;
    const [slope, centre] = this.motionFit.dataSync() as Float32Array;
    return Float32Array.from({ length: motion.length }, (_, i) => motionShift({ slope: slope!, centre: centre! }, motion[i]!));
  }

  private dropout<T extends tf.Tensor>(x: T, training: boolean, rate = this.config.dropout): T {
    if (!training || rate === 0) return x;
    this.dropoutCalls += 1;
    return tf.dropout(x, rate, undefined, this.config.seed * 1_000_003 + this.dropoutCalls) as T;
  }

  private static dense(x: tf.Tensor2D, layer: Linear): tf.Tensor2D {
    return layer.b ? affine2d(x, layer.w as tf.Tensor2D, layer.b as tf.Tensor1D) : matMul2d(x, layer.w as tf.Tensor2D);
  }

  private static layerNorm(x: tf.Tensor2D, [gain, bias]: [tf.Variable, tf.Variable]): tf.Tensor2D {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, 1e-5))), gain), bias) as tf.Tensor2D;
  }

  private static gelu(x: tf.Tensor): tf.Tensor {
    return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
  }

  /** [B, R, R] connectivity -> [B*R, d] region tokens H. */
  encodeBrain(fc: tf.Tensor3D, training: boolean): tf.Tensor2D {
    const [b, r] = fc.shape;
    const { d, heads } = this.config;
    const dh = d / heads;
    const input = dataAffine2d(tf.reshape(fc, [b * r, r]), this.inProjection.w as tf.Tensor2D, this.inProjection.b as tf.Tensor1D);
    let h = tf.reshape(tf.add(tf.reshape(input, [b, r, d]), this.position), [b * r, d]) as tf.Tensor2D;
    for (const layer of this.layers) {
      const x = NeuroLIPModel.layerNorm(h, layer.ln1);
      const qkv = tf.transpose(tf.reshape(NeuroLIPModel.dense(x, layer.qkv), [b, r, 3, heads, dh]), [2, 0, 3, 1, 4]);
      const [q, k, v] = tf.unstack(qkv).map((t) => tf.reshape(t, [b * heads, r, dh]) as tf.Tensor3D) as [
        tf.Tensor3D,
        tf.Tensor3D,
        tf.Tensor3D,
      ];
      const attention = this.dropout(tf.softmax(tf.div(batchMatMul(q, k, false, true), Math.sqrt(dh)), -1) as tf.Tensor3D, training);
      const context = tf.reshape(tf.transpose(tf.reshape(batchMatMul(attention, v), [b, heads, r, dh]), [0, 2, 1, 3]), [
        b * r,
        d,
      ]) as tf.Tensor2D;
      h = tf.add(h, this.dropout(NeuroLIPModel.dense(context, layer.out), training)) as tf.Tensor2D;
      const y = NeuroLIPModel.layerNorm(h, layer.ln2);
      const hidden = this.dropout(NeuroLIPModel.gelu(NeuroLIPModel.dense(y, layer.ff1)) as tf.Tensor2D, training);
      h = tf.add(h, this.dropout(NeuroLIPModel.dense(hidden, layer.ff2), training)) as tf.Tensor2D;
    }
    return NeuroLIPModel.layerNorm(h, this.finalNorm);
  }

  /** Every token embedded on its own: MLP(E[v] + T[a]) -> [V, d]. */
  encodeTokens(): tf.Tensor2D {
    const types = oneHotRows(this.tokenAttribute, this.vocabulary.attributes.length);
    const x = tf.add(this.embedding, tf.matMul(types, this.typeEmbedding));
    return NeuroLIPModel.dense(NeuroLIPModel.gelu(NeuroLIPModel.dense(x as tf.Tensor2D, this.mlp1)) as tf.Tensor2D, this.mlp2);
  }

  private tokens(all: tf.Tensor2D, attribute: number): tf.Tensor2D {
    const { start, size } = this.slices[attribute]!;
    return tf.slice(all, [start, 0], [size, this.config.d]);
  }

  /**
   * TTCA attention weights of C tokens over the regions: [B, H, C, R], softmax over R. The scores
   * for all heads and tokens are one 2-D product K [B*R, d] x Q_blocks [d, H*C], where Q_blocks
   * holds each head's query in its own rows (block diagonal).
   */
  private attention(keys: tf.Tensor2D, queries: tf.Tensor2D, batch: number): tf.Tensor4D {
    const { d, heads } = this.config;
    const dh = d / heads;
    const c = queries.shape[0];
    const r = this.rois;
    const mask = tf.tensor2d(
      Array.from({ length: d * heads * c }, (_, k) =>
        Math.floor(Math.floor(k / (heads * c)) / dh) === Math.floor((k % (heads * c)) / c) ? 1 : 0,
      ),
      [d, heads * c],
    );
    const blocks = tf.mul(tf.tile(tf.transpose(queries), [1, heads]), mask);
    const scores = tf.div(matMul2d(keys, blocks as tf.Tensor2D), Math.sqrt(dh));
    return tf.softmax(tf.transpose(tf.reshape(scores, [batch, r, heads, c]), [0, 2, 3, 1]), -1) as tf.Tensor4D;
  }

  /** TTCA: z for each subject and token, [B, C, d], and the head-mean maps [B, C, R]. */
  private ttca(
    keys: tf.Tensor2D,
    values: tf.Tensor2D,
    tokens: tf.Tensor2D,
    batch: number,
    weights: { q: Linear; o: Linear },
  ): { z: tf.Tensor3D; maps: tf.Tensor3D } {
    const { d, heads } = this.config;
    const dh = d / heads;
    const c = tokens.shape[0];
    const alpha = this.attention(keys, NeuroLIPModel.dense(tokens, weights.q), batch);
    const v = tf.reshape(tf.transpose(tf.reshape(values, [batch, this.rois, heads, dh]), [0, 2, 1, 3]), [
      batch * heads,
      this.rois,
      dh,
    ]) as tf.Tensor3D;
    const context = batchMatMul(tf.reshape(alpha, [batch * heads, c, this.rois]) as tf.Tensor3D, v);
    const joined = tf.reshape(tf.transpose(tf.reshape(context, [batch, heads, c, dh]), [0, 2, 1, 3]), [batch * c, d]) as tf.Tensor2D;
    return { z: tf.reshape(NeuroLIPModel.dense(joined, weights.o), [batch, c, d]) as tf.Tensor3D, maps: tf.mean(alpha, 1) as tf.Tensor3D };
  }

  /** The tokens' unit text directions Wt e / |Wt e|: [C, d]. */
  private textDirections(tokens: tf.Tensor2D): tf.Tensor2D {
    const text = NeuroLIPModel.dense(tokens, this.wt);
    return tf.div(text, tf.add(tf.norm(text, 'euclidean', -1, true), 1e-12));
  }

  /** s_i,ac = cos(z_i,ac, Wt e_ac) * scale: [B, C]. */
  private similarity(z: tf.Tensor3D, tokens: tf.Tensor2D, scale: tf.Tensor): tf.Tensor2D {
    const brain = tf.div(z, tf.add(tf.norm(z, 'euclidean', -1, true), 1e-12));
    return tf.mul(tf.sum(tf.mul(brain, this.textDirections(tokens)), -1), scale) as tf.Tensor2D;
  }

  /**
   * The logits of each subject for C tokens: [B, C]. With the whole-connectome token read as an
   * embedding (the default) it is added to z before the cosine similarity; read as a logit, the
   * similarity is z's alone and the token adds its product with each token's unit text direction,
   * g_i,c . Wt e_c / |Wt e_c|, which is linear in the token's weights, so that an L2 penalty on them
   * acts as in penalised logistic regression. During the token's warm-up (connectomeAlone) the logits
   * are its part alone: the token itself as the embedding, or its linear term.
   */
  private logits(z: tf.Tensor3D, global: tf.Tensor3D | null, tokens: tf.Tensor2D, scale: tf.Tensor): tf.Tensor2D {
    const alone = global !== null && this.connectomeAlone;
    if (!global || this.config.connectomeReadout === 'embedding')
      return this.similarity(alone ? global : NeuroLIPModel.withGlobal(z, global), tokens, scale);
    const linear = tf.sum(tf.mul(global, this.textDirections(tokens)), -1) as tf.Tensor2D;
    return alone ? linear : (tf.add(this.similarity(z, tokens, scale), linear) as tf.Tensor2D);
  }

  /** [n, E] edges -> [n, k] component scores with a fixed basis, else unchanged. */
  private project(edges: tf.Tensor2D): tf.Tensor2D {
    return this.projection ? this.projection.product.apply(edges) : edges;
  }

  /**
   * The whole-connectome token added to each token-conditioned embedding: [B, 1, d] (every token the
   * same), or with `connectomeAttention` s > 0 [B, C, d], where each diagnosis token sees the edges
   * weighted by its own attention, edge (i, j) by 1 - s + s R (a_i + a_j) / 2 (1 under uniform
   * attention), so the attention map decides which connections the prediction reads. Null when off.
   */
  private encodeConnectome(edges: tf.Tensor2D | null, maps: tf.Tensor3D | null, training: boolean): tf.Tensor3D | null {
    if (!this.connectome) return null;
    if (!edges) throw new Error('The whole-connectome token needs the batch of edges.');
    const [b, e] = edges.shape;
    const { d } = this.config;
    const input = training && this.config.inputDropout > 0 ? this.dropout(edges, true, this.config.inputDropout) : edges;
    if (this.endpoints && maps) {
      const [, c, r] = maps.shape;
      const share = this.config.connectomeAttention;
      const weights = tf.add(tf.mul(this.endpoints.apply(tf.reshape(maps, [b * c, r])), (share * r) / 2), 1 - share);
      const weightedEdges = tf.reshape(tf.mul(tf.reshape(weights, [b, c, e]), tf.expandDims(input, 1)), [b * c, e]) as tf.Tensor2D;
      return tf.reshape(NeuroLIPModel.dense(this.project(weightedEdges), this.connectome), [b, c, d]) as tf.Tensor3D;
    }
    const token = tf.expandDims(NeuroLIPModel.dense(this.project(input), this.connectome), 1) as tf.Tensor3D;
    if (!training || this.config.connectomeDropout === 0) return token;
    // Whole-token dropout: for a share of the subjects the token is left out (kept ones are not rescaled),
    // so that TTCA's attention pathway must carry the diagnosis on its own and learns where to look.
    const keep = tf.mul(this.dropout(tf.ones([b, 1, 1]), true, this.config.connectomeDropout), 1 - this.config.connectomeDropout);
    return tf.mul(token, keep);
  }

  private brainSide(input: BrainBatch, training: boolean) {
    const batch = input.fc.shape[0];
    const h = this.encodeBrain(input.fc, training);
    const tokens = this.encodeTokens();
    const dxTokens = this.tokens(tokens, 0);
    const scale = tf.exp(this.logitScale);
    const fitted = this.fittedReadout ? this.fittedLogits(input.edges) : null;
    const withFitted = (sim: tf.Tensor2D): tf.Tensor2D => (fitted ? (tf.add(sim, fitted) as tf.Tensor2D) : sim);
    if (!this.config.ttca) {
      const pooled = tf.mean(tf.reshape(h, [batch, this.rois, this.config.d]), 1);
      const global = fitted ? null : this.encodeConnectome(input.edges, null, training);
      const tiled = tf.tile(tf.expandDims(pooled, 1), [1, dxTokens.shape[0], 1]) as tf.Tensor3D;
      const z = this.erased(NeuroLIPModel.withGlobal(tiled, global));
      return {
        h,
        tokens,
        scale,
        batch,
        keys: null,
        values: null,
        global,
        z,
        dxMaps: null,
        sim: withFitted(this.eraser ? this.similarity(z, dxTokens, scale) : this.logits(tiled, global, dxTokens, scale)),
        ttcaSim: null,
      };
    }
    const keys = NeuroLIPModel.dense(h, this.wk);
    const values = NeuroLIPModel.dense(h, this.wv);
    const attended = this.ttca(keys, values, dxTokens, batch, { q: this.wq, o: this.wo });
    // The weighting's maps are TTCA's, with the token side detached: the connectome pathway trains the
    // brain side and TTCA only, so the reversed sensitive gradient through it never reaches the tokens.
    const weighting = this.endpoints
      ? (tf.mean(this.attention(keys, NeuroLIPModel.dense(stopGradient(dxTokens), this.wq), batch), 1) as tf.Tensor3D)
      : null;
    const global = fitted ? null : this.encodeConnectome(input.edges, weighting, training);
    const z = this.erased(NeuroLIPModel.withGlobal(attended.z, global));
    const ttcaSim = (global || fitted) && this.config.ttcaLoss > 0 ? this.similarity(attended.z, dxTokens, scale) : null;
    const sim = withFitted(this.eraser ? this.similarity(z, dxTokens, scale) : this.logits(attended.z, global, dxTokens, scale));
    return { h, tokens, scale, batch, keys, values, global, z, dxMaps: attended.maps, sim, ttcaSim };
  }

  /**
   * z [B, C, d] with the eraser applied to each subject's C d values, when one is set. The similarity
   * then reads the erased z: after training the logits read z whole (the connectome token read as an
   * embedding, or fitted first and so outside z), which the configuration checks.
   */
  private erased(z: tf.Tensor3D): tf.Tensor3D {
    if (!this.eraser) return z;
    const [b, c, d] = z.shape;
    return tf.reshape(eraseGroups(this.eraser, tf.reshape(z, [b, c * d]) as tf.Tensor2D), [b, c, d]) as tf.Tensor3D;
  }

  /** z [B, C, d] plus the whole-connectome token, [B, 1, d] or [B, C, d]. */
  private static withGlobal(z: tf.Tensor3D, global: tf.Tensor3D | null): tf.Tensor3D {
    return global ? (tf.add(z, global) as tf.Tensor3D) : z;
  }

  /** The head-mean attention maps of attribute a's tokens: [B, C, R]. */
  private tokenMaps(keys: tf.Tensor2D, tokens: tf.Tensor2D, attribute: number, batch: number): tf.Tensor3D {
    return tf.mean(this.attention(keys, NeuroLIPModel.dense(this.tokens(tokens, attribute), this.wq), batch), 1) as tf.Tensor3D;
  }

  /** Each subject's own-token map from attribute a's maps [B, C, R]: [B, R] (zeros where missing), with a mask [B]. */
  private ownMaps(maps: tf.Tensor3D, attribute: number, codes: ArrayLike<number>): { maps: tf.Tensor2D; present: tf.Tensor1D } {
    const size = this.slices[attribute]!.size;
    const onehot = oneHotRows(
      Array.from(codes, (c) => Math.max(c, 0)),
      size,
    );
    const present = NeuroLIPModel.presentMask(codes);
    const selector = tf.mul(onehot, tf.expandDims(present, 1));
    return { maps: tf.sum(tf.mul(maps, tf.expandDims(selector, 2)), 1) as tf.Tensor2D, present };
  }

  /**
   * The mean of an attribute's token maps [B, C, R]: [B, R], the same kind of map for every group,
   * with a mask [B] of the subjects that have a value.
   */
  private static pooledMaps(maps: tf.Tensor3D, codes: ArrayLike<number>): { maps: tf.Tensor2D; present: tf.Tensor1D } {
    return { maps: tf.mean(maps, 1) as tf.Tensor2D, present: NeuroLIPModel.presentMask(codes) };
  }

  /** [B]: 1 for the subjects with a value of the attribute (code >= 0), else 0. */
  private static presentMask(codes: ArrayLike<number>): tf.Tensor1D {
    return tf.tensor1d(Array.from(codes, (c) => (c >= 0 ? 1 : 0)));
  }

  /**
   * The training loss of one batch. `codes[a][i]` is subject i's token index for attribute a, or -1.
   * Gradient routing: the sensitive CALT reaches the token side normally and the brain encoder and
   * TTCA reversed (x -1) while it is below its gate, stopped (x 0) otherwise. `forceGate` (tests)
   * sets that factor instead of the gate. With `sensitiveInput` 'prediction' (or 'both') the sensitive
   * tokens are also (or instead) scored against each diagnosis-conditioned embedding z, the one the
   * prediction and the leakage probe read, terms L_<attribute>_dx with gates of their own.
   */
  loss(input: BrainBatch, codes: Int32Array[], training: boolean, forceGate?: -1 | 0 | 1): { total: tf.Scalar; terms: LossTerms } {
    const { lambdaNeg, lambdaDis, disentangleGradient, disentangleTarget, fairConditioning, sensitiveInput } = this.config;
    const side = this.brainSide(input, training);
    const dx = caltLoss(side.sim, codes[0]!);
    if (!dx) throw new Error('A training batch has no diagnosis labels.');
    let total: tf.Scalar = dx;
    const scalars: Record<string, tf.Scalar> = { L_dx: dx };
    if (side.ttcaSim) {
      const attendedOnly = caltLoss(side.ttcaSim, codes[0]!)!;
      scalars.L_dx_ttca = attendedOnly;
      total = tf.add(total, tf.mul(attendedOnly, this.config.ttcaLoss)) as tf.Scalar;
    }
    const gates: Record<string, number> = {};
    // The sensitive TTCA's maps, by attribute: the same values as the own-token maps of L_dis, which
    // reuses them where it needs no gradient through them (disentangleGradient 'dx').
    const sensitiveMaps = new Map<number, tf.Tensor3D>();
    const readsOwn = sensitiveInput !== 'prediction' && side.keys !== null && side.values !== null;
    const readsPrediction = sensitiveInput !== 'own';
    let prediction: tf.Tensor3D | null = null;
    const predictionEmbedding = (): tf.Tensor3D => (prediction ??= this.predictionEmbedding(side));
    if (lambdaNeg > 0) {
      const fixedScale = stopGradient(side.scale);
      const groups = fairConditioning === 'dx' ? codes[0]! : null;
      for (let a = 1; a < this.vocabulary.attributes.length; a += 1) {
        const name = this.vocabulary.attributes[a]!.name;
        const tokens = this.tokens(side.tokens, a);
        const readings: { key: string; logits: (reverse: Reverse) => tf.Tensor2D[] }[] = [];
        if (readsOwn)
          readings.push({
            key: name,
            logits: (reverse) => {
              const reversedQ = { w: reverse(this.wq.w), b: reverse(this.wq.b!) } as unknown as Linear;
              const reversedO = { w: reverse(this.wo.w), b: reverse(this.wo.b!) } as unknown as Linear;
              const attended = this.ttca(reverse(side.keys!), reverse(side.values!), tokens, side.batch, { q: reversedQ, o: reversedO });
              sensitiveMaps.set(a, attended.maps);
              const global = side.global && (reverse(tf.mean(side.global, 1, true)) as tf.Tensor3D);
              return [this.logits(attended.z, global, tokens, fixedScale)];
            },
          });
        if (readsPrediction)
          readings.push({
            key: `${name}_dx`,
            logits: (reverse) => {
              const z = reverse(predictionEmbedding());
              const [b, c, d] = z.shape;
              const scale = tf.exp(tf.slice(this.sensitiveScale!, [a - 1], [1]));
              return Array.from({ length: c }, (_, k) => this.similarity(tf.slice(z, [0, k, 0], [b, 1, d]), tokens, scale));
            },
          });
        for (const reading of readings) {
          const gated = this.gatedSensitive(reading.logits, codes[a]!, groups, this.slices[a]!.size, forceGate);
          if (!gated) continue;
          gates[`gate_${reading.key}`] = gated.open ? 1 : 0;
          scalars[`L_${reading.key}`] = gated.loss;
          total = tf.add(total, tf.mul(gated.loss, lambdaNeg)) as tf.Scalar;
        }
      }
    }
    if (this.config.oddsPenalty > 0) {
      let sum = tf.scalar(0);
      for (let a = 1; a < this.vocabulary.attributes.length; a += 1) {
        const term = equalisedOddsPenalty(side.sim, codes[0]!, codes[a]!);
        if (term) sum = tf.add(sum, term);
      }
      scalars.L_odds = sum;
      total = tf.add(total, tf.mul(sum, this.config.oddsPenalty)) as tf.Scalar;
    }
    if (this.config.embeddingPenalty > 0 || this.config.directionPenalty > 0) {
      const flat = tf.reshape(predictionEmbedding(), [side.batch, -1]) as tf.Tensor2D;
      const overAttributes = (term: (a: number) => tf.Scalar | null): tf.Scalar => {
        let sum = tf.scalar(0);
        for (let a = 1; a < this.vocabulary.attributes.length; a += 1) {
          const part = term(a);
          if (part) sum = tf.add(sum, part);
        }
        return sum;
      };
      const projected = (needer: string): tf.Scalar => {
        const directions = this.groupDirections;
        if (!directions) throw new Error(`${needer} needs the group directions, which the trainer sets at each epoch.`);
        return overAttributes((a) => projectedGroupVariance(flat, codes[0]!, codes[a]!, (c, g) => directions.get(`${a}:${c}:${g}`)));
      };
      if (this.config.embeddingPenalty > 0) {
        const estimate = this.config.embeddingPenaltyEstimate;
        const sum =
          estimate === 'batch'
            ? overAttributes((a) => betweenGroupVariance(flat, codes[0]!, codes[a]!, this.config.embeddingPenaltyScale))
            : projected(`embeddingPenaltyEstimate "${estimate}"`);
        scalars.L_embedding = sum;
        total = tf.add(total, tf.mul(sum, this.config.embeddingPenalty)) as tf.Scalar;
      }
      if (this.config.directionPenalty > 0) {
        const sum = projected('the direction penalty');
        scalars.L_direction = sum;
        total = tf.add(total, tf.mul(sum, this.config.directionPenalty)) as tf.Scalar;
      }
    }
    if (this.connectome && this.config.connectomePenalty > 0 && !this.fittedReadout) {
      const penalty = tf.mul(tf.sum(tf.square(this.connectome.w)), this.config.connectomePenalty / 2) as tf.Scalar;
      scalars.L_connectome_l2 = penalty;
      total = tf.add(total, penalty) as tf.Scalar;
    }
    if (side.keys && side.dxMaps && lambdaDis > 0) {
      const dxOwn = tf.sum(tf.mul(side.dxMaps, tf.expandDims(oneHotRows(codes[0]!, this.slices[0]!.size), 2)), 1) as tf.Tensor2D;
      const detached = disentangleGradient === 'dx';
      let sum = tf.scalar(0);
      for (let a = 1; a < this.vocabulary.attributes.length; a += 1) {
        const tokenMaps = (detached && sensitiveMaps.get(a)) || this.tokenMaps(side.keys, side.tokens, a, side.batch);
        const maps = detached ? stopGradient(tokenMaps) : tokenMaps;
        const target = disentangleTarget === 'pooled' ? NeuroLIPModel.pooledMaps(maps, codes[a]!) : this.ownMaps(maps, a, codes[a]!);
        sum = tf.add(sum, tf.sum(tf.mul(bhattacharyya(dxOwn, target.maps), target.present)));
      }
      const dis = tf.div(sum, side.batch) as tf.Scalar;
      scalars.L_dis = dis;
      total = tf.add(total, tf.mul(dis, lambdaDis)) as tf.Scalar;
    }
    return {
      total,
      terms: {
        loss: total.dataSync()[0]!,
        terms: { ...Object.fromEntries(Object.entries(scalars).map(([k, v]) => [k, v.dataSync()[0]!])), ...gates },
      },
    };
  }

  /**
   * The diagnosis-conditioned embedding z [B, C, d] as the leakage probe sees it: each feature
   * standardised over the batch, so that a feature with little spread weighs as much as one with
   * much (z's direction is mostly the connectome token's, computed on site-standardised edges, and a
   * similarity with raw z could not read the site the probe reads). TTCA's queries are recomputed
   * from detached diagnosis tokens, so a gradient through it reaches the brain encoder, TTCA and the
   * connectome token, never the token side (whose connectome weighting is detached already).
   */
  private predictionEmbedding(side: ReturnType<NeuroLIPModel['brainSide']>): tf.Tensor3D {
    let z = side.z;
    if (side.keys && side.values) {
      const dxTokens = stopGradient(this.tokens(side.tokens, 0));
      const attended = this.ttca(side.keys, side.values, dxTokens, side.batch, { q: this.wq, o: this.wo });
      z = NeuroLIPModel.withGlobal(attended.z, side.global);
    }
    const { mean, variance } = tf.moments(z, 0, true);
    return tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, 1e-6))) as tf.Tensor3D;
  }

  /**
   * One sensitive CALT with its gated negative gradient: the mean CALT over the logits `logitsOf`
   * builds (each [B, C_a]; the brain side passed through `reverse`), and whether its gate is open,
   * that is the loss is below the gate's threshold. While open, the gradient reaching the brain side
   * through `reverse` is scaled by -1, else by 0 (`forceGate` sets that factor instead).
   */
  private gatedSensitive(
    logitsOf: (reverse: Reverse) => tf.Tensor2D[],
    codes: Int32Array,
    groups: Int32Array | null,
    size: number,
    forceGate: -1 | 0 | 1 | undefined,
  ): { loss: tf.Scalar; open: boolean } | null {
    const gateValue: GradientGate = { scale: 0 };
    const parts = logitsOf((x) => scaleGradient(x, gateValue)).map((logits) => caltWithinGroups(logits, codes, groups));
    if (parts.some((part) => part === null)) return null;
    const loss = tf.div(tf.addN(parts.map((part) => part!.loss)), parts.length) as tf.Scalar;
    const threshold = this.config.gate === 'logV' ? Math.log(size) : parts[0]!.chance;
    const open = loss.dataSync()[0]! < threshold;
    gateValue.scale = forceGate ?? (open ? -1 : 0);
    return { loss, open };
  }

  /** Predictions for a batch, without dropout (and without group offsets, which the ensemble adds). */
  predict(input: BrainBatch, codes: Int32Array[], withMaps: boolean): Predictions {
    return tf.tidy(() => {
      const side = this.brainSide(input, false);
      const shift = this.pathwayShift;
      const probability = tf.softmax(shift === 0 ? side.sim : tf.sub(side.sim, tf.tensor2d([[-shift / 2, shift / 2]])), -1);
      const patient = tf.slice(probability, [0, 1], [side.batch, 1]).dataSync() as Float32Array;
      const embedding = tf.reshape(side.z, [side.batch, -1]).dataSync() as Float32Array;
      const ownMaps: Record<string, Float32Array> = {};
      if (withMaps && side.keys) {
        for (let a = 1; a < this.vocabulary.attributes.length; a += 1) {
          const own = this.ownMaps(this.tokenMaps(side.keys, side.tokens, a, side.batch), a, codes[a]!).maps.dataSync() as Float32Array;
          const values = Float32Array.from(own);
          codes[a]!.forEach((c, i) => {
            if (c < 0) values.fill(Number.NaN, i * this.rois, (i + 1) * this.rois);
          });
          ownMaps[this.vocabulary.attributes[a]!.name] = values;
        }
      }
      const dxMaps = withMaps && side.dxMaps ? (side.dxMaps.dataSync() as Float32Array) : new Float32Array(0);
      return {
        probability: Float32Array.from(patient),
        embedding: Float32Array.from(embedding),
        dxMaps: Float32Array.from(dxMaps),
        ownMaps,
      };
    });
  }

  /** Keeps the logit scales within exp(t) <= 100, as the spec asks after each step. */
  clampScale(): void {
    tf.tidy(() => {
      this.logitScale.assign(tf.minimum(this.logitScale, Math.log(100)));
      this.sensitiveScale?.assign(tf.minimum(this.sensitiveScale, Math.log(100)));
    });
  }

  /** The weights as plain arrays (for checkpoints and restoring the best epoch). */
  snapshot(): Float32Array[] {
    return this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
  }

  restore(weights: Float32Array[]): void {
    tf.tidy(() => this.variables.forEach((v, i) => v.assign(tf.tensor(weights[i]!, v.shape))));
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    if (!this.variables.includes(this.logitScale)) this.logitScale.dispose();
    this.endpoints?.dispose();
  }
}

/** [R, R(R-1)/2]: column k is 1 at the two regions of the k-th upper-triangle edge (row-major). */
function edgeEndpoints(rois: number): tf.Tensor2D {
  const e = (rois * (rois - 1)) / 2;
  const values = new Float32Array(rois * e);
  let k = 0;
  for (let i = 0; i < rois; i += 1) {
    for (let j = i + 1; j < rois; j += 1) {
      values[i * e + k] = 1;
      values[j * e + k] = 1;
      k += 1;
    }
  }
  return tf.tensor2d(values, [rois, e]);
}
