import { z } from 'zod';
import { SPEC_DEFAULTS, VARIANT_DEFAULTS } from '../../shared/trainDefaults';

export const Variant = z.enum(['neurolip-v1', 'neurolip', 'neurolip-nofair', 'clip-global', 'logreg-fc']);
export type Variant = z.infer<typeof Variant>;

/** A categorical phenotype column of the cohort (checked against the cohort when the run starts). */
export const SensitiveAttribute = z.string().trim().min(1).max(100);

/** The sensitive attributes of a run that names none: the three every import derives. */
const DEFAULT_SENSITIVE = ['sex', 'ageGroup', 'site'] as const;
/** Sensitive attributes, each at most once. */
const AttributeList = z
  .array(SensitiveAttribute)
  .max(12)
  .refine((names) => new Set(names).size === names.length, 'each sensitive attribute once');

/** Every hyper-parameter; a field left out takes the variant's default, else the spec's (src/shared/trainDefaults.ts). */
const BaseFields = z.object({
  variant: Variant.default('neurolip'),
  d: z.number().int().min(4).max(512),
  layers: z.number().int().min(0).max(8),
  heads: z.number().int().min(1).max(16),
  dropout: z.number().min(0).max(0.9),
  lambdaNeg: z.number().min(0).max(10),
  lambdaDis: z.number().min(0).max(10),
  learningRate: z.number().positive().max(1),
  weightDecay: z.number().min(0).max(1),
  batchSize: z.number().int().min(2).max(4096),
  epochs: z.number().int().min(1).max(10000),
  patience: z.number().int().min(1).max(10000),
  validationFraction: z.number().min(0.05).max(0.5),
  /** The reversal's gate: the spec's log|V_s|, or the batch's chance level (docs/model.md). */
  gate: z.enum(['logV', 'chance']),
  /** Which maps the disentanglement loss moves: both (spec), or only the diagnosis map. */
  disentangleGradient: z.enum(['both', 'dx']),
  /** The sensitive map L_dis pushes the diagnosis map from: the subject's own group token's (spec), or the mean of the attribute's token maps. */
  disentangleTarget: z.enum(['own', 'pooled']),
  /** What the sensitive CALT reads: the sensitive tokens' own TTCA embedding (spec), the diagnosis-conditioned embedding the prediction reads, or both. */
  sensitiveInput: z.enum(['own', 'prediction', 'both']),
  /** How the batch estimate of the embedding penalty weighs each attribute's groups: their R² ('share'), or their R² over its chance level under shuffled labels ('chance'). */
  embeddingPenaltyScale: z.enum(['share', 'chance']),
  /**
   * Where the embedding penalty's group differences come from: the batch alone ('batch'); each
   * batch's gaps projected on the groups' offsets over the training subjects, recomputed at each
   * epoch's start ('training'); or on those offsets' ridge discriminant directions ('discriminant').
   */
  embeddingPenaltyEstimate: z.enum(['batch', 'training', 'discriminant']),
  /** Region-token input: raw Fisher-z rows (spec), each connection z-scored over the training fold, or within each site. */
  inputNorm: z.enum(['none', 'edgeZ', 'siteZ']),
  /** The region tokens' input when it differs from the connectome token's: 'same' follows inputNorm; 'siteMatched' is siteZ mapped back onto the training subjects' pooled mean and SD. */
  regionNorm: z.enum(['same', 'none', 'edgeZ', 'siteZ', 'siteMatched']),
  /** Adds a whole-connectome token (a linear embedding of the upper triangle) to every TTCA embedding. */
  globalToken: z.boolean(),
  /** What the whole-connectome token (and logreg-fc) reads: the Fisher-z correlations, or the correlations in the tangent space at the fitted subjects' mean. */
  connectomeMeasure: z.enum(['correlation', 'tangent']),
  /** Dropout on the whole-connectome token's input edges. */
  inputDropout: z.number().min(0).max(0.95),
  /** Share of training subjects whose whole-connectome token is dropped in a step (0 keeps it always). */
  connectomeDropout: z.number().min(0).max(1),
  /** Weight of a second diagnosis CALT on TTCA's embedding alone (without the whole-connectome token). */
  ttcaLoss: z.number().min(0).max(10),
  /** Principal components of the training subjects' edges whose scores the whole-connectome token reads; 0 reads every edge. */
  connectomeComponents: z.number().int().min(0).max(1024),
  /**
   * How the whole-connectome token's weights are trained: AdamW like the rest, SGD with momentum (each
   * weight moves in proportion to its gradient), or 'converged': with the linear readout, fitted before
   * training as L2-penalised logistic regression of the diagnosis on the training subjects' edges (to
   * convergence, penalty connectomePenalty) and then held fixed while the rest trains.
   */
  connectomeOptimiser: z.enum(['adamw', 'sgd', 'converged']),
  /** The learning rate of the whole-connectome token's weights under SGD (connectomeOptimiser 'sgd'). */
  connectomeLearningRate: z.number().positive().max(10),
  /** How the whole-connectome token enters the logits: added to each token-conditioned embedding before the cosine similarity, or as its own linear term (docs/model.md). */
  connectomeReadout: z.enum(['embedding', 'logit']),
  /** Penalty lambda / 2 times the squared norm of the whole-connectome token's weights, added to the loss (an L2 penalty, as in penalised logistic regression); 0 is off. */
  connectomePenalty: z.number().min(0).max(1000),
  /** Epochs at the start in which only the whole-connectome token trains and the logits are its term alone (a warm start of the readout); early stopping considers only the later epochs. */
  connectomeWarmup: z.number().int().min(0).max(1000),
  /** Share s of the whole-connectome token's edge weights set by TTCA's attention: edge (i, j) weighs 1 - s + s R (a_i + a_j) / 2. */
  connectomeAttention: z.number().min(0).max(1),
  /** The sensitive CALT over the whole batch (spec), or within each diagnosis group (equalised odds). */
  fairConditioning: z.enum(['none', 'dx']),
  /** Weight of the equalised-odds penalty: within each diagnosis, the between-group variance of the patient probability, for each sensitive attribute; 0 is off. */
  oddsPenalty: z.number().min(0).max(100),
  /** Weight of the embedding penalty: within each diagnosis, the share of the batch-standardised diagnosis-conditioned embedding's variance between each sensitive attribute's groups; 0 is off. */
  embeddingPenalty: z.number().min(0).max(100),
  /**
   * Weight of the direction penalty: within each diagnosis, each batch's sensitive-group gaps in the
   * prediction embedding projected on the groups' ridge discriminant directions over the training
   * subjects (recomputed at each epoch's start), beside the embedding penalty's own estimate; 0 is off.
   */
  directionPenalty: z.number().min(0).max(1000),
  /** Regress the site's (or every sensitive attribute's) effects out of every connection, diagnosis kept, fitted on the training subjects. */
  covariateAdjustment: z.enum(['none', 'site', 'sensitive']),
  /**
   * At prediction, the patient log-odds lose their slope on head motion (mean framewise displacement)
   * within each diagnosis, estimated on cross-fitted scores of the training subjects (a readout fitted
   * first for the networks, the inner cross-validation for logreg-fc; src/main/model/motionSlope.ts).
   */
  motionAdjustment: z.boolean(),
  /**
   * Once training has ended, the directions along which each member's diagnosis-conditioned
   * embedding follows head motion within each diagnosis, over its training subjects, are erased
   * from it, as erasedAttributes erases groups' mean differences (src/main/model/groupEraser.ts).
   */
  motionErasure: z.boolean(),
  /** The contrastive logits' scale exp(t): 0 learns it from 1/0.07 (spec), a positive value fixes it, which bounds how confident a prediction can be. */
  fixedLogitScale: z.number().min(0).max(100),
  /** Decay per step of an exponential moving average of the weights, which validation and prediction use; 0 is off. */
  weightAveraging: z.number().min(0).max(0.9999),
  /** Models trained side by side from different initial weights in each fold; prediction and maps are their means. */
  ensemble: z.number().int().min(1).max(8),
  /** Early stopping for an ensemble: all members together on the fold's validation subjects, each member apart on them, or each on validation subjects of its own. */
  memberValidation: z.enum(['shared', 'separate', 'own']),
  /** Stop on the validation AUC with patience and predict with the best epoch's weights; false trains every epoch and predicts with the last weights (the penalties and the weight average then regularise). */
  earlyStopping: z.boolean(),
  /** After early stopping, train again from the same initial weights on the training and validation subjects together for the best epoch's number of epochs, and predict with that model. */
  refit: z.boolean(),
  /** Share of the scan in the random time window each training step recomputes connectivity from; 1 uses the stored whole-scan matrix. */
  timeWindow: z.number().min(0.2).max(1),
  /**
   * Sensitive attributes whose groups each get an offset of the patient logit at prediction
   * (equalised-odds post-processing), estimated on the fitted readout's cross-fitted training scores:
   * within each diagnosis, every group's mean score moves to all training subjects' mean
   * (src/main/model/groupOffsets.ts).
   */
  readoutOffsets: AttributeList.default([]),
  /** Readout offsets of an attribute with at least three groups shrunk towards 0 by their sampling noise (James-Stein; src/main/model/groupOffsets.ts). */
  offsetShrinkage: z.boolean(),
  /**
   * What a group's readout offset equalises with all training subjects': its mean score within each
   * diagnosis ('means'), or the sum of its true- and false-positive rates at the threshold ('rates'),
   * which minimises its larger equalised-odds gap (src/main/model/groupOffsets.ts).
   */
  offsetCriterion: z.enum(['means', 'rates']),
  /**
   * Beside a readout fitted first, prediction takes away the attention pathway's mean share of the
   * patient-minus-control logit over the member's training subjects, so that the readout's own
   * calibration decides where its scores sit (docs/model.md, twenty-third round).
   */
  pathwayCentring: z.boolean(),
  /**
   * Sensitive attributes whose groups' mean differences within each diagnosis, over each member's
   * training subjects, are erased from its diagnosis-conditioned embedding once training has ended,
   * before the diagnosis is read from it (src/main/model/groupEraser.ts).
   */
  erasedAttributes: AttributeList.default([]),
  sensitive: AttributeList.default([...DEFAULT_SENSITIVE]),
  /**
   * The patient groups the run predicts against the controls, as one class; none: every patient
   * group of the cohort. Subjects of the cohort's other patient groups are left out of the run.
   */
  patientGroups: z
    .array(z.string().trim().min(1).max(100))
    .max(20)
    .refine((labels) => new Set(labels).size === labels.length, 'each patient group once')
    .default([]),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(0),
});

/** What an ensemble member may set for itself: how it reads the connectome, learns and regularises. */
const MemberSettings = BaseFields.pick({
  dropout: true,
  inputDropout: true,
  learningRate: true,
  weightDecay: true,
  ttcaLoss: true,
  connectomeAttention: true,
  connectomeOptimiser: true,
  connectomeLearningRate: true,
  connectomeReadout: true,
  connectomePenalty: true,
  fixedLogitScale: true,
  earlyStopping: true,
})
  .extend({
    /** The member's weight in the ensemble's mean patient probability (1 for every member when left out); maps stay plain means. */
    predictionWeight: z.number().positive().max(100),
  })
  .partial()
  .strict();

const ConfigFields = BaseFields.extend({
  /**
   * Settings of their own for the ensemble's first members (a mixed ensemble): member m trains with
   * the run's configuration overridden by entry m; members beyond the list keep the run's.
   */
  memberSettings: z.array(MemberSettings).max(8).default([]),
});

/** The settings a configuration may name, and those that only an ensemble member may set. */
export const CONFIG_FIELD_NAMES: ReadonlySet<string> = new Set(Object.keys(ConfigFields.shape));
export const MEMBER_ONLY_FIELD_NAMES: ReadonlySet<string> = new Set(
  Object.keys(MemberSettings.shape).filter((name) => !CONFIG_FIELD_NAMES.has(name)),
);

/**
 * A variant's default member settings for the ensemble the user chose: with fewer members than the
 * variant's default, the dropped members' settings go with them, and none are left when the kept
 * ones set nothing (settings the user gave are kept whole, so that a list longer than the ensemble
 * is still refused).
 */
function ownMembersOnly(defaults: { memberSettings?: readonly unknown[] }, given: Record<string, unknown>): { memberSettings?: unknown[] } {
  if (!defaults.memberSettings || 'memberSettings' in given || typeof given.ensemble !== 'number') return {};
  const kept = defaults.memberSettings.slice(0, Math.max(0, given.ensemble));
  return { memberSettings: kept.some((settings) => Object.keys(settings as object).length > 0) ? kept : [] };
}

/**
 * A variant's default attribute list (readoutOffsets, erasedAttributes) for the run the user chose:
 * only the attributes among its sensitive ones, and none where `usable` says the run's members
 * (the merged settings, not yet validated) cannot use it; a list the user gave is kept whole, so
 * that an unusable one is still refused.
 */
function defaultListThatApplies(
  key: 'readoutOffsets' | 'erasedAttributes',
  merged: Record<string, unknown>,
  given: Record<string, unknown>,
  usable: (members: Record<string, unknown>[]) => boolean,
): Partial<Record<typeof key, string[]>> {
  const list = merged[key];
  if (key in given || !Array.isArray(list) || list.length === 0) return {};
  const sensitive: unknown[] = Array.isArray(merged.sensitive) ? merged.sensitive : [...DEFAULT_SENSITIVE];
  return { [key]: usable(mergedMembers(merged)) ? (list as string[]).filter((name) => sensitive.includes(name)) : [] };
}

/** Each member's merged settings (not yet validated): the run's, overridden by the member's own. */
function mergedMembers(merged: Record<string, unknown>): Record<string, unknown>[] {
  const settings: unknown[] = Array.isArray(merged.memberSettings) ? merged.memberSettings : [];
  const ensemble = typeof merged.ensemble === 'number' ? merged.ensemble : 1;
  return Array.from({ length: ensemble }, (_, m) => ({ ...merged, ...(settings[m] as object | undefined) }));
}

/**
 * A variant's default that switches a motion remedy on is dropped where `usable` says the run's
 * members (the merged settings, not yet validated) cannot have it: motion adjustment without a
 * readout fitted first to estimate its slope on (the Quick-look preset's single model), motion
 * erasure where a member learns its connectome token as a logit (canErase). One the user asked for
 * is kept, so that it is refused.
 */
function motionDefaultThatApplies(
  key: 'motionAdjustment' | 'motionErasure',
  merged: Record<string, unknown>,
  given: Record<string, unknown>,
  usable: (members: Record<string, unknown>[]) => boolean,
): Partial<Record<typeof key, false>> {
  if (key in given || merged[key] !== true) return {};
  return usable(mergedMembers(merged)) ? {} : { [key]: false };
}

/**
 * A variant's default tangent-space connectome gives way to the correlations when the user asks for
 * time-window augmentation, which recomputes correlations in every step; a tangent space the user
 * chose together with it is refused instead.
 */
function correlationsUnderTimeWindows(
  merged: Record<string, unknown>,
  given: Record<string, unknown>,
): { connectomeMeasure?: 'correlation' } {
  return 'connectomeMeasure' in given || typeof merged.timeWindow !== 'number' || merged.timeWindow >= 1
    ? {}
    : { connectomeMeasure: 'correlation' };
}

/**
 * Whether some member's connectome readout is fitted first (connectomeOptimiser 'converged'), which
 * readout offsets and motion adjustment need (the Quick-look preset's single model has none); the
 * members' settings merged, validated or not.
 */
const anyFittedReadout = (members: Record<string, unknown>[]): boolean =>
  members.some((member) => member.globalToken === true && member.connectomeOptimiser === 'converged');

/** Erasure needs no member learning its connectome token as a logit (refuseUnerasableReadouts). */
const canErase = (members: Record<string, unknown>[]): boolean =>
  !members.some(
    (member) => member.globalToken === true && member.connectomeReadout === 'logit' && member.connectomeOptimiser !== 'converged',
  );

/** Each member's weight in the ensemble's mean patient probability: its own predictionWeight, else 1. */
export function predictionWeights(config: Pick<z.infer<typeof ConfigFields>, 'ensemble' | 'memberSettings'>): number[] {
  return Array.from({ length: config.ensemble }, (_, m) => config.memberSettings[m]?.predictionWeight ?? 1);
}

/** The settings ensemble member m trains with: the run's, overridden by the member's own. */
export function memberConfig<C extends z.infer<typeof ConfigFields>>(config: C, m: number): C {
  return { ...config, ...config.memberSettings[m] };
}

/**
 * A readout fitted first (connectomeOptimiser 'converged') needs the linear readout and a penalty,
 * and rules out a warm-up, for the run and for each member; each problem is reported once, at the
 * setting that caused it (a member's own entry, else the run's field).
 */
function refuseUnfittableReadouts(config: z.infer<typeof ConfigFields>, ctx: z.RefinementCtx): void {
  const issues = new Map<string, { message: string; path: (string | number)[] }>();
  for (let m = 0; m < config.ensemble; m += 1) {
    const model = memberConfig(config, m);
    if (model.connectomeOptimiser !== 'converged' || !model.globalToken) continue;
    const own = config.memberSettings[m] ?? {};
    const at = (field: 'connectomeOptimiser' | 'connectomePenalty'): (string | number)[] =>
      field in own ? ['memberSettings', m, field] : [field];
    const refuse = (message: string, path: (string | number)[]) => issues.set(`${path.join('.')}|${message}`, { message, path });
    if (model.connectomeReadout !== 'logit')
      refuse(
        "a connectome readout fitted first (connectomeOptimiser 'converged') needs the linear readout (connectomeReadout 'logit')",
        at('connectomeOptimiser'),
      );
    if (model.connectomePenalty <= 0)
      refuse(
        "a connectome readout fitted first (connectomeOptimiser 'converged') needs an L2 penalty (connectomePenalty above 0)",
        at('connectomePenalty'),
      );
    if (config.connectomeWarmup > 0) {
      const whose = 'connectomeOptimiser' in own ? `member ${m + 1}'s readout, fitted first` : 'a readout fitted first';
      refuse(`a warm-up trains the connectome token, which ${whose} (connectomeOptimiser 'converged') holds fixed`, ['connectomeWarmup']);
    }
  }
  for (const issue of issues.values()) ctx.addIssue({ code: 'custom', ...issue });
}

/**
 * The erasure acts on the embedding the similarity reads, which for a connectome token read as a
 * logit by gradient descent (connectomeReadout 'logit' without 'converged') leaves the token out.
 */
function refuseUnerasableReadouts(config: z.infer<typeof ConfigFields>, ctx: z.RefinementCtx): void {
  if (config.erasedAttributes.length === 0 && !config.motionErasure) return;
  for (let m = 0; m < config.ensemble; m += 1) {
    const model = memberConfig(config, m);
    if (!model.globalToken || model.connectomeReadout === 'embedding' || model.connectomeOptimiser === 'converged') continue;
    ctx.addIssue({
      code: 'custom',
      message: `embedding erasure needs ${config.ensemble > 1 ? `member ${m + 1}'s` : 'the'} connectome token read as an embedding or fitted first (connectomeOptimiser 'converged'), not learnt as a logit`,
      path: [config.erasedAttributes.length > 0 ? 'erasedAttributes' : 'motionErasure'],
    });
    break;
  }
  refuseUnknownAttributes(config, 'erasedAttributes', ctx);
}

/** anyFittedReadout over the validated configuration's members. */
const hasFittedReadout = (config: z.infer<typeof ConfigFields>): boolean =>
  anyFittedReadout(Array.from({ length: config.ensemble }, (_, m) => memberConfig(config, m)));

/** Readout offsets need a member whose readout is fitted first, and attributes among the sensitive ones. */
function refuseUnusableOffsets(config: z.infer<typeof ConfigFields>, ctx: z.RefinementCtx): void {
  if (config.readoutOffsets.length === 0) return;
  if (!hasFittedReadout(config))
    ctx.addIssue({
      code: 'custom',
      message: "readout offsets need a member whose connectome readout is fitted first (connectomeOptimiser 'converged')",
      path: ['readoutOffsets'],
    });
  refuseUnknownAttributes(config, 'readoutOffsets', ctx);
}

/** Each attribute a list names must be among the run's sensitive attributes. */
function refuseUnknownAttributes(
  config: z.infer<typeof ConfigFields>,
  list: 'readoutOffsets' | 'erasedAttributes',
  ctx: z.RefinementCtx,
): void {
  config[list].forEach((name, k) => {
    if (!config.sensitive.includes(name))
      ctx.addIssue({
        code: 'custom',
        message: `"${name}" is not among the sensitive attributes (${config.sensitive.join(', ') || 'none'})`,
        path: [list, k],
      });
  });
}

/** Fills what the user left out from the variant's defaults, then validates. */
export const TrainConfig = z.preprocess(
  (raw) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
    const variant = Variant.safeParse((raw as { variant?: unknown }).variant ?? 'neurolip');
    const defaults = variant.success ? VARIANT_DEFAULTS[variant.data] : {};
    const given = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== undefined));
    const merged: Record<string, unknown> = { ...SPEC_DEFAULTS, ...defaults, ...ownMembersOnly(defaults, given), ...given };
    return {
      ...merged,
      ...correlationsUnderTimeWindows(merged, given),
      ...defaultListThatApplies('readoutOffsets', merged, given, anyFittedReadout),
      ...defaultListThatApplies('erasedAttributes', merged, given, canErase),
      ...motionDefaultThatApplies(
        'motionAdjustment',
        merged,
        given,
        (members) => merged.variant === 'logreg-fc' || anyFittedReadout(members),
      ),
      ...motionDefaultThatApplies('motionErasure', merged, given, canErase),
    };
  },
  ConfigFields.refine((config) => config.timeWindow === 1 || config.covariateAdjustment === 'none', {
    message:
      'time-window augmentation cannot be combined with covariate adjustment (its coefficients are fitted on the whole-scan matrices)',
    path: ['timeWindow'],
  })
    .refine((config) => config.timeWindow === 1 || config.connectomeMeasure === 'correlation', {
      message:
        "time-window augmentation recomputes correlations, which the tangent-space connectome cannot follow: set connectomeMeasure to 'correlation' to use it",
      path: ['timeWindow'],
    })
    .refine((config) => config.directionPenalty === 0 || config.embeddingPenaltyEstimate === 'batch', {
      message:
        "the direction penalty already projects on the training subjects' discriminant directions: combine it with the embedding penalty's batch estimate only",
      path: ['directionPenalty'],
    })
    .refine((config) => config.connectomeWarmup === 0 || config.globalToken, {
      message: 'a warm-up of the whole-connectome token needs the token (globalToken)',
      path: ['connectomeWarmup'],
    })
    .refine((config) => config.memberSettings.length <= config.ensemble, {
      message: 'more member settings than ensemble members',
      path: ['memberSettings'],
    })
    .refine(
      (config) =>
        config.ensemble === 1 ||
        config.memberValidation !== 'shared' ||
        config.memberSettings.every((settings) => settings.earlyStopping === undefined),
      {
        message: "a member's own early stopping needs members that stop apart (memberValidation 'separate' or 'own')",
        path: ['memberSettings'],
      },
    )
    .superRefine(refuseUnfittableReadouts)
    .superRefine(refuseUnusableOffsets)
    .refine((config) => !config.motionAdjustment || config.variant === 'logreg-fc' || hasFittedReadout(config), {
      message:
        "motion adjustment estimates its slope on the cross-fitted scores of a readout fitted first: it needs a member whose connectome readout is fitted first (connectomeOptimiser 'converged')",
      path: ['motionAdjustment'],
    })
    .superRefine(refuseUnerasableReadouts)
    .refine((config) => config.connectomeWarmup < config.epochs, {
      message: 'the warm-up of the whole-connectome token must be shorter than the training (epochs)',
      path: ['connectomeWarmup'],
    }),
);
export type TrainConfig = z.infer<typeof ConfigFields>;

/** What the variants without fairness terms switch off. */
const WITHOUT_FAIRNESS = {
  lambdaNeg: 0,
  lambdaDis: 0,
  oddsPenalty: 0,
  embeddingPenalty: 0,
  directionPenalty: 0,
  erasedAttributes: [],
  fairConditioning: 'none',
  covariateAdjustment: 'none',
  readoutOffsets: [],
} as const satisfies Partial<TrainConfig>;

/** The settings a variant fixes, applied over the user's configuration. */
export function resolveVariant(config: TrainConfig): TrainConfig & { ttca: boolean } {
  switch (config.variant) {
    case 'neurolip-nofair':
      return { ...config, ...WITHOUT_FAIRNESS, ttca: true };
    case 'clip-global':
      return { ...config, ...WITHOUT_FAIRNESS, ttca: false };
    default:
      return { ...config, ttca: true };
  }
}
