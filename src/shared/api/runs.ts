import { z } from 'zod';
import { compareGroupNames } from '../ageGroups';

export const TrainRequest = z.object({
  cohortId: z.number().int().positive(),
  protocol: z.enum(['kfold5', 'loso']),
  /** Validated on the Node side against the full training configuration (spec defaults). */
  config: z.record(z.string(), z.unknown()),
  name: z.string().trim().min(1).max(200).optional(),
});

export const RunRef = z.object({ runId: z.number().int().positive() });

export const RenameRun = RunRef.extend({ name: z.string().trim().min(1).max(200) });

/** A short label on a run, for grouping and filtering the runs list. */
export const RunTag = RunRef.extend({
  tag: z
    .string()
    .trim()
    .min(1, 'A tag cannot be empty.')
    .max(40, 'A tag has at most 40 characters.')
    .regex(/^[^\p{Cc}]+$/u, 'A tag cannot hold control characters.'),
});

/** A phenotype column that can serve as a sensitive attribute: its values and how many subjects have each. */
export const SensitiveAttributeOption = z.object({
  name: z.string(),
  groups: z.array(z.object({ value: z.string(), n: z.number().int() })),
  /** Subjects with no value in this column. */
  missing: z.number().int(),
});
export type SensitiveAttributeOption = z.infer<typeof SensitiveAttributeOption>;

export const RunListItem = z.object({
  id: z.number().int(),
  cohortId: z.number().int(),
  name: z.string(),
  variant: z.string(),
  status: z.string(),
  backend: z.string().nullable(),
  seed: z.number().int(),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  tags: z.array(z.string()),
});

const WithCi = z.object({ value: z.number().nullable(), ciLow: z.number().nullable(), ciHigh: z.number().nullable() });
const MetricsWithCi = z.object({ acc: WithCi, balancedAcc: WithCi, auc: WithCi, f1: WithCi, sensitivity: WithCi, specificity: WithCi });
const MeanSd = z.object({ mean: z.number().nullable(), sd: z.number().nullable() });

export const FairnessGroup = z.object({
  group: z.string(),
  n: z.number().int(),
  positives: z.number().int(),
  acc: z.number().nullable(),
  auc: z.number().nullable(),
  tpr: z.number().nullable(),
  fpr: z.number().nullable(),
  selectionRate: z.number().nullable(),
  small: z.boolean(),
});

export const FairnessSummary = z.object({
  /** In reading order (age groups by age), whatever order the run stored them in. */
  groups: z.array(FairnessGroup).transform((groups) => [...groups].sort((a, b) => compareGroupNames(a.group, b.group))),
  dDP: z.number().nullable(),
  dEOpp: z.number().nullable(),
  dEOdds: z.number().nullable(),
  dAUC: z.number().nullable(),
  /** 95 % bootstrap intervals of the gaps (older runs have none). */
  ci: z.record(z.string(), z.tuple([z.number().nullable(), z.number().nullable()])).optional(),
  /** dEOdds under shuffled group labels within each diagnosis: its median and the observed gap's p-value (older runs have none). */
  dEOddsNull: z.object({ chance: z.number().nullable(), p: z.number().nullable() }).optional(),
});

/** A finished run's stored result (NaN is stored as null). */
export const RunSummary = z.object({
  run: z.number().int(),
  variant: z.string(),
  protocol: z.enum(['kfold5', 'loso']),
  backend: z.string(),
  subjects: z.number().int(),
  metrics: MetricsWithCi,
  foldMetrics: z.record(z.string(), MeanSd),
  fairness: z.record(z.string(), FairnessSummary),
  /** Linear probes of sex and site on the embeddings (older runs have no site probe). */
  leakage: z.object({ sexProbeAuc: MeanSd, siteProbeAuc: MeanSd.optional() }),
  epochSeconds: z.number().nullable(),
  folds: z.array(
    z.object({
      name: z.string(),
      train: z.number().int(),
      test: z.number().int(),
      bestEpoch: z.number().int(),
      valAuc: z.number().nullable(),
      auc: z.number().nullable(),
      metrics: MetricsWithCi.optional(),
    }),
  ),
  recovery: z.object({ plantedRois: z.number().int(), chance: z.number(), precisionAtK: z.record(z.string(), z.number()) }).optional(),
  maps: z.unknown(),
  /** The configuration the run used (spec defaults filled in). */
  config: z.record(z.string(), z.unknown()).optional(),
});
export type RunSummary = z.infer<typeof RunSummary>;

/** One out-of-fold prediction: the subject's true group (1 = patient) and p(patient). */
export const RunPrediction = z.object({ subjectId: z.number().int(), fold: z.number().int(), label: z.number().int(), score: z.number() });
export type RunPrediction = z.infer<typeof RunPrediction>;

/** A run's out-of-fold predictions, one row per subject, with its groups for the run's sensitive attributes. */
export const PredictionTable = z.object({
  attributes: z.array(z.string()),
  rows: z.array(
    z.object({
      subject: z.string(),
      /** The fold that tested the subject, from 1. */
      fold: z.number().int().positive(),
      /** The subject's diagnosis as imported (a patient group's own label where the run merged several). */
      diagnosis: z.string(),
      /** 1 where the run counted the subject a patient, 0 a control. */
      patient: z.union([z.literal(0), z.literal(1)]),
      patientProbability: z.number(),
      /** The label predicted at probability 0.5. */
      predicted: z.string(),
      /** One per attribute, in order; null where the subject has no value. */
      groups: z.array(z.string().nullable()),
    }),
  ),
});
export type PredictionTable = z.infer<typeof PredictionTable>;

/** Within one diagnosis class of a run: a variable's mean, and its Spearman correlation with the patient probability. */
const ConfoundGroup = z.object({
  group: z.string(),
  /** Subjects of the class with a value. */
  n: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  rho: z.number().nullable(),
  /** Two-sided permutation p-value of rho. */
  p: z.number().nullable(),
  /** p adjusted by Holm's method for all the run's confound tests (every variable and class). */
  pHolm: z.number().nullable(),
});

/** Whether a run's predictions track a nuisance variable (head motion, age, scan length) beyond the diagnosis. */
export const ConfoundCheck = z.object({
  variable: z.string(),
  label: z.string(),
  /** The controls, then the patients. */
  groups: z.array(ConfoundGroup),
});
export type ConfoundCheck = z.infer<typeof ConfoundCheck>;

export const CompareRuns = z.object({ runIds: z.array(z.number().int().positive()).min(2).max(30) });

/** A figure of one variant minus the reference variant's, seed by seed: mean ± SD, standard error, seeds where it was higher. */
const PairedBySeed = z.object({
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  se: z.number().nullable(),
  higher: z.number().int(),
  seeds: z.number().int(),
});

/** One variant over the seeds it was run with (the picked runs of one cohort and protocol). */
export const OverSeedsRow = z.object({
  variant: z.string(),
  seeds: z.array(z.number().int()),
  auc: MeanSd,
  balancedAcc: MeanSd,
  dEOdds: z.record(z.string(), MeanSd),
  leakage: z.object({ sex: MeanSd, site: MeanSd }),
  /** Against the first picked run's variant, on the seeds both have; null for that variant itself. */
  vsReference: z
    .object({ auc: PairedBySeed, dEOdds: z.record(z.string(), PairedBySeed), leakage: z.object({ sex: PairedBySeed, site: PairedBySeed }) })
    .nullable(),
});
export type OverSeedsRow = z.infer<typeof OverSeedsRow>;

export const RunComparison = z.object({
  runs: z.array(
    z.object({
      id: z.number().int(),
      name: z.string(),
      variant: z.string(),
      auc: z.number().nullable(),
      balancedAcc: z.number().nullable(),
      dEOdds: z.record(z.string(), z.number().nullable()),
      leakage: z.number().nullable(),
      /** The site probe's AUC: null for leave-one-site-out, and for runs older than the probe. */
      siteLeakage: z.number().nullable(),
    }),
  ),
  /** True when every run used the same test folds over the same subjects, so differences are paired. */
  paired: z.boolean(),
  /**
   * The picked runs by variant over their seeds, when they share a cohort and protocol, no variant
   * repeats a seed, and some variant has two seeds or more; null otherwise.
   */
  overSeeds: z.array(OverSeedsRow).nullable(),
  /** Each run against the first: pooled AUC difference with a paired bootstrap 95 % CI, and per-fold differences. */
  differences: z.array(
    z.object({
      id: z.number().int(),
      aucDifference: z.number().nullable(),
      ciLow: z.number().nullable(),
      ciHigh: z.number().nullable(),
      foldDifferences: z.array(z.number().nullable()),
    }),
  ),
});
export type RunComparison = z.infer<typeof RunComparison>;
