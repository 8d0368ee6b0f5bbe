/**
 * Training defaults, shared by the trainer (which validates) and the Train page (which shows them).
 * SPEC_DEFAULTS are the v1 baseline's, from ../shared/design/neurolip-model.md. A variant's own
 * defaults (VARIANT_DEFAULTS) replace them wherever the user gave no value; docs/model.md records
 * each change from v1 and its measured effect.
 */
export const SPEC_DEFAULTS = {
  d: 64,
  layers: 1,
  heads: 4,
  dropout: 0.1,
  lambdaNeg: 0.5,
  lambdaDis: 0.1,
  learningRate: 1e-3,
  weightDecay: 1e-4,
  batchSize: 64,
  epochs: 100,
  patience: 20,
  validationFraction: 0.1,
  gate: 'logV',
  disentangleGradient: 'both',
  disentangleTarget: 'own',
  sensitiveInput: 'own',
  inputNorm: 'none',
  regionNorm: 'same',
  globalToken: false,
  connectomeMeasure: 'correlation',
  inputDropout: 0,
  connectomeDropout: 0,
  ttcaLoss: 0,
  connectomeAttention: 0,
  connectomeComponents: 0,
  connectomeOptimiser: 'adamw',
  connectomeLearningRate: 0.03,
  connectomePenalty: 0,
  connectomeWarmup: 0,
  connectomeReadout: 'embedding',
  fixedLogitScale: 0,
  fairConditioning: 'none',
  oddsPenalty: 0,
  embeddingPenalty: 0,
  embeddingPenaltyScale: 'share',
  embeddingPenaltyEstimate: 'batch',
  directionPenalty: 0,
  covariateAdjustment: 'none',
  motionAdjustment: false,
  motionErasure: false,
  weightAveraging: 0,
  ensemble: 1,
  memberValidation: 'shared',
  timeWindow: 1,
  refit: false,
  earlyStopping: true,
  pathwayCentring: false,
  offsetShrinkage: false,
  offsetCriterion: 'means',
} as const;

/**
 * The share of each correlation matrix moved towards the identity before it enters the tangent
 * space (connectomeMeasure 'tangent'; src/main/train/tangentConnectivity.ts says why 0.2).
 */
export const TANGENT_SHRINKAGE = 0.2;

/**
 * What a stored run's configuration means by a field it lacks: the field was added later, and the
 * run trained with the spec's value for it, without member settings of its own or readout offsets.
 */
export const STORED_CONFIG_DEFAULTS = { ...SPEC_DEFAULTS, memberSettings: [], readoutOffsets: [], erasedAttributes: [] } as const;

type Defaults = {
  -readonly [K in keyof typeof SPEC_DEFAULTS]?: (typeof SPEC_DEFAULTS)[K] extends boolean
    ? boolean
    : (typeof SPEC_DEFAULTS)[K] extends number
      ? number
      : string;
} & {
  /** Settings of their own for the ensemble's first members (validated by the trainer's MemberSettings). */
  memberSettings?: readonly Readonly<Record<string, number | string | boolean>>[];
  /** Sensitive attributes whose groups offset the prediction (readoutOffsets), where the run has them. */
  readoutOffsets?: readonly string[];
  /** Sensitive attributes whose groups' mean differences are erased from the embedding after training (erasedAttributes), where the run has them. */
  erasedAttributes?: readonly string[];
};

/**
 * The improved model (issue 5): no self-attention layer, a whole-connectome token on site-standardised
 * edges read half through the diagnosis attention, region tokens on the raw rows, a TTCA-only
 * diagnosis term, and the reference's two fixes.
 */
const NEUROLIP_V2: Defaults = {
  layers: 0,
  inputNorm: 'siteZ',
  regionNorm: 'none',
  globalToken: true,
  connectomeAttention: 0.5,
  ttcaLoss: 1,
  inputDropout: 0.2,
  gate: 'chance',
  disentangleGradient: 'dx',
  epochs: 60,
  patience: 15,
};

/**
 * The mixed ensemble (docs/model.md, seventh and tenth rounds): the model above, weight-averaged,
 * beside a second member whose connectome token is an L2-penalised linear readout of the diagnosis
 * fitted to convergence on its training subjects before training and then held fixed, with its
 * attention pathway learning ten times slower; each member stops apart on the fold's validation
 * subjects. At prediction, the patient logit moves by per-sex and per-site offsets estimated on the linear
 * member's cross-fitted scores (twelfth round). A penalty on the sensitive groups' share of the
 * diagnosis-conditioned embedding's variance keeps site out of it (fifteenth round). Once trained,
 * each member's embedding loses the directions along which the sexes' means differ within each
 * diagnosis (nineteenth round). The connectome token reads connectivity in the tangent space at the
 * training subjects' mean (twentieth round), and the linear member's patient probability weighs three
 * times the attention member's in the ensemble's mean (twenty-first round). At prediction the linear
 * member's attention pathway is centred on its training subjects, so that its fitted readout sets
 * where its scores sit (twenty-third round). The patient logit then loses its within-diagnosis slope
 * on head motion, estimated on the same cross-fitted scores (twenty-seventh round). Each group's
 * offset balances its true- and false-positive rates on those scores rather than its mean score
 * (thirtieth round).
 */
const NEUROLIP_MIXED: Defaults = {
  ...NEUROLIP_V2,
  weightAveraging: 0.98,
  ensemble: 2,
  memberValidation: 'separate',
  memberSettings: [
    {},
    {
      connectomeReadout: 'logit',
      connectomePenalty: 3,
      connectomeOptimiser: 'converged',
      learningRate: 1e-4,
      predictionWeight: 3,
    },
  ],
  readoutOffsets: ['sex', 'site', 'ageGroup'],
  offsetCriterion: 'rates',
  embeddingPenalty: 1,
  connectomeMeasure: 'tangent',
  erasedAttributes: ['sex'],
  pathwayCentring: true,
  motionAdjustment: true,
  motionErasure: true,
};

export const VARIANT_DEFAULTS: Record<'neurolip-v1' | 'neurolip' | 'neurolip-nofair' | 'clip-global' | 'logreg-fc', Defaults> = {
  'neurolip-v1': {},
  neurolip: NEUROLIP_MIXED,
  'neurolip-nofair': NEUROLIP_MIXED,
  'clip-global': NEUROLIP_V2,
  'logreg-fc': {},
};

/**
 * Named starting points for training, used by the Train page and the one-click demo. A preset sets
 * only what it names; every other field takes each variant's own default. "Quick look" is sized so
 * that the demo trains two variants on the 300-subject synthetic cohort within 3 minutes on a
 * 2-core CPU with the wasm back end (measured by the demo's e2e test; docs/ui.md): one model (the
 * attention model, without the default's second, linear member) of width 32 for at most 15 epochs.
 */
export const TRAINING_PRESETS = {
  quick: { label: 'Quick look (CPU, minutes)', config: { epochs: 15, patience: 5, d: 32, ensemble: 1 } },
  full: { label: 'Full (each variant’s defaults)', config: {} },
} as const;
