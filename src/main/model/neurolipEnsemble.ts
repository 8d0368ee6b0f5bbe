import { ConstantProduct } from './matMul2d';
import {
  NeuroLIPModel,
  type BrainBatch,
  type ConnectomeProjection,
  type LossTerms,
  type Predictions,
  type Vocabulary,
} from './neurolipModel';
import * as tf from './tf';
import { shiftLogOdds } from './logOdds';
import { memberConfig, predictionWeights, type TrainConfig } from './trainConfig';

/** The seed of ensemble member m: member 0 keeps the run's own seed, so one member is exactly the single model. */
export function memberSeed(seed: number, member: number): number {
  return seed + member * 104_729;
}

/** The means of several models' reported loss terms. */
export function meanLossTerms(terms: LossTerms[]): LossTerms {
  const mean = (values: number[]): number => values.reduce((sum, v) => sum + v, 0) / values.length;
  const names = [...new Set(terms.flatMap((t) => Object.keys(t.terms)))];
  return {
    loss: mean(terms.map((t) => t.loss)),
    terms: Object.fromEntries(names.map((name) => [name, mean(terms.map((t) => t.terms[name] ?? 0))])),
  };
}

/**
 * `config.ensemble` NeuroLIP models with their own initial weights and dropout masks, trained on the
 * same batches (the loss is the sum of the members' losses, so each member's gradient is its own)
 * and predicting together: the patient probability is the members' mean weighted by their
 * predictionWeight (then moved by any group offsets), the attention maps are their plain means, and
 * the embedding for the leakage probe is the members' embeddings side by side.
 */
export class NeuroLIPEnsemble {
  readonly members: NeuroLIPModel[];
  readonly variables: tf.Variable[];
  /** Each member's share of the patient probability (the weights normalised to sum to 1). */
  private readonly shares: number[];
  private readonly projection: ConnectomeProjection | null;

  constructor(
    rois: number,
    vocabulary: Vocabulary,
    config: TrainConfig & { ttca: boolean },
    /** A prefix for the variables' names, so that a second ensemble can live beside this one (refit). */
    scope = '',
    /** The connectome token's fixed input basis, [E, components] row-major, which every member shares. */
    basis: { values: Float32Array; components: number } | null = null,
  ) {
    this.projection = basis
      ? {
          product: new ConstantProduct(tf.tensor2d(basis.values, [basis.values.length / basis.components, basis.components])),
          components: basis.components,
        }
      : null;
    this.members = Array.from(
      { length: config.ensemble },
      (_, m) =>
        new NeuroLIPModel(
          rois,
          vocabulary,
          { ...memberConfig(config, m), seed: memberSeed(config.seed, m) },
          m === 0 ? scope : `${scope}member${m}.`,
          this.projection,
        ),
    );
    this.variables = this.members.flatMap((member) => member.variables);
    const weights = predictionWeights(config);
    const total = weights.reduce((sum, w) => sum + w, 0);
    this.shares = weights.map((w) => w / total);
  }

  /** The variables that training steps (every member's, without readouts fitted first). */
  get trainable(): tf.Variable[] {
    return this.members.flatMap((member) => member.trainable);
  }

  /**
   * Dropout masks drawn so far by each member still training: members that train draw the same
   * number per step, and one that early stopping froze (own validation splits) has drawn fewer.
   */
  get dropoutCalls(): number {
    return Math.max(...this.members.map((member) => member.dropoutCalls));
  }

  set dropoutCalls(calls: number) {
    for (const member of this.members) member.dropoutCalls = calls;
  }

  /** The summed loss of one batch; the reported terms are the members' means. */
  loss(input: BrainBatch, codes: Int32Array[], training: boolean): { total: tf.Scalar; terms: LossTerms } {
    const results = this.members.map((member) => member.loss(input, codes, training));
    return {
      total: results.length === 1 ? results[0]!.total : (tf.addN(results.map((r) => r.total)) as tf.Scalar),
      terms: meanLossTerms(results.map((r) => r.terms)),
    };
  }

  /**
   * The members' predictions combined; with group offsets (config.readoutOffsets) and motion
   * adjustment (config.motionAdjustment, from each subject's `motion`) the combined patient logit
   * then moves by each subject's offsets and motion shift, each the mean over the members that fitted it.
   */
  predict(input: BrainBatch, codes: Int32Array[], withMaps: boolean, motion?: ArrayLike<number>): Predictions {
    const parts = this.members.map((member) => member.predict(input, codes, withMaps));
    const combined = parts.length === 1 ? parts[0]! : this.combine(parts, codes[0]!.length);
    const perMember = (shifts: (Float32Array | null)[]): Float32Array[] => shifts.filter((o): o is Float32Array => o !== null);
    const offsets = perMember(this.members.map((member) => member.groupOffsets(codes)));
    const motionShifts = motion ? perMember(this.members.map((member) => member.motionShifts(motion))) : [];
    if (offsets.length === 0 && motionShifts.length === 0) return combined;
    const mean = (shifts: Float32Array[], i: number): number =>
      shifts.length === 0 ? 0 : shifts.reduce((sum, o) => sum + o[i]!, 0) / shifts.length;
    const probability = Float32Array.from(combined.probability, (p, i) => shiftLogOdds(p, mean(offsets, i) + mean(motionShifts, i)));
    return { ...combined, probability };
  }

  /** Several members' predictions as one: weighted mean probability, mean maps, embeddings side by side. */
  private combine(parts: Predictions[], batch: number): Predictions {
    const mean = (arrays: Float32Array[], shares = arrays.map(() => 1 / arrays.length)): Float32Array => {
      const out = new Float32Array(arrays[0]!.length);
      arrays.forEach((array, m) => array.forEach((v, i) => (out[i] = out[i]! + v * shares[m]!)));
      return out;
    };
    const width = parts[0]!.embedding.length / batch;
    const embedding = new Float32Array(batch * width * parts.length);
    parts.forEach((part, m) => {
      for (let i = 0; i < batch; i += 1) {
        embedding.set(part.embedding.subarray(i * width, (i + 1) * width), (i * parts.length + m) * width);
      }
    });
    return {
      probability: mean(
        parts.map((p) => p.probability),
        this.shares,
      ),
      embedding,
      dxMaps: mean(parts.map((p) => p.dxMaps)),
      ownMaps: Object.fromEntries(Object.keys(parts[0]!.ownMaps).map((name) => [name, mean(parts.map((p) => p.ownMaps[name]!))])),
    };
  }

  clampScale(): void {
    for (const member of this.members) member.clampScale();
  }

  /** Every member's weights, member after member (one list, as a checkpoint stores them). */
  snapshot(): Float32Array[] {
    return this.members.flatMap((member) => member.snapshot());
  }

  restore(weights: Float32Array[]): void {
    let offset = 0;
    for (const member of this.members) {
      member.restore(weights.slice(offset, offset + member.variables.length));
      offset += member.variables.length;
    }
  }

  dispose(): void {
    for (const member of this.members) member.dispose();
    this.projection?.product.dispose();
  }
}
