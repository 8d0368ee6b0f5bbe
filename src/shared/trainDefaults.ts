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
  inputNorm: 'none',
  globalToken: false,
  inputDropout: 0,
  connectomeDropout: 0,
} as const;

type Defaults = {
  -readonly [K in keyof typeof SPEC_DEFAULTS]?: (typeof SPEC_DEFAULTS)[K] extends boolean
    ? boolean
    : (typeof SPEC_DEFAULTS)[K] extends number
      ? number
      : string;
};

/** The improved model (issue 5): no self-attention layer, standardised input, a whole-connectome token, the reference's two fixes. */
const NEUROLIP_V2: Defaults = {
  layers: 0,
  inputNorm: 'siteZ',
  globalToken: true,
  inputDropout: 0.2,
  gate: 'chance',
  disentangleGradient: 'dx',
  epochs: 60,
  patience: 15,
};

export const VARIANT_DEFAULTS: Record<'neurolip-v1' | 'neurolip' | 'neurolip-nofair' | 'clip-global' | 'logreg-fc', Defaults> = {
  'neurolip-v1': {},
  neurolip: NEUROLIP_V2,
  'neurolip-nofair': NEUROLIP_V2,
  'clip-global': NEUROLIP_V2,
  'logreg-fc': {},
};
