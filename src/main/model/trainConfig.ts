import { z } from 'zod';

export const Variant = z.enum(['neurolip-v1', 'neurolip', 'neurolip-nofair', 'clip-global', 'logreg-fc']);
export type Variant = z.infer<typeof Variant>;

/** A categorical phenotype column of the cohort (checked against the cohort when the run starts). */
export const SensitiveAttribute = z.string().trim().min(1).max(100);

/** Every hyper-parameter, with the spec's defaults (../shared/design/neurolip-model.md, v1). */
export const TrainConfig = z.object({
  variant: Variant.default('neurolip'),
  d: z.number().int().min(4).max(512).default(64),
  layers: z.number().int().min(0).max(8).default(1),
  heads: z.number().int().min(1).max(16).default(4),
  dropout: z.number().min(0).max(0.9).default(0.1),
  lambdaNeg: z.number().min(0).max(10).default(0.5),
  lambdaDis: z.number().min(0).max(10).default(0.1),
  learningRate: z.number().positive().max(1).default(1e-3),
  weightDecay: z.number().min(0).max(1).default(1e-4),
  batchSize: z.number().int().min(2).max(4096).default(64),
  epochs: z.number().int().min(1).max(10000).default(100),
  patience: z.number().int().min(1).max(10000).default(20),
  validationFraction: z.number().min(0.05).max(0.5).default(0.1),
  /** The reversal's gate: the spec's log|V_s|, or the batch's chance level (docs/model.md). */
  gate: z.enum(['logV', 'chance']).default('logV'),
  /** Which maps the disentanglement loss moves: both (spec), or only the diagnosis map. */
  disentangleGradient: z.enum(['both', 'dx']).default('both'),
  /** Region-token input: raw Fisher-z rows (spec), each connection z-scored over the training fold, or within each site. */
  inputNorm: z.enum(['none', 'edgeZ', 'siteZ']).default('none'),
  /** Adds a whole-connectome token (a linear embedding of the upper triangle) to every TTCA embedding. */
  globalToken: z.boolean().default(false),
  /** Dropout on the whole-connectome token's input edges. */
  inputDropout: z.number().min(0).max(0.95).default(0),
  sensitive: z
    .array(SensitiveAttribute)
    .max(12)
    .refine((names) => new Set(names).size === names.length, 'each sensitive attribute once')
    .default(['sex', 'ageGroup', 'site']),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31)
    .default(0),
});
export type TrainConfig = z.infer<typeof TrainConfig>;

/** The settings a variant fixes, applied over the user's configuration. */
export function resolveVariant(config: TrainConfig): TrainConfig & { ttca: boolean } {
  switch (config.variant) {
    case 'neurolip-nofair':
      return { ...config, lambdaNeg: 0, lambdaDis: 0, ttca: true };
    case 'clip-global':
      return { ...config, lambdaNeg: 0, lambdaDis: 0, ttca: false };
    default:
      return { ...config, ttca: true };
  }
}
