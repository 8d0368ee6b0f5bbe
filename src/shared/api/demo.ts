import { z } from 'zod';

/** The one-click demo takes no settings: it always uses the synthetic cohort and the quick preset. */
export const DemoRunRequest = z.object({}).strict();

/** The title of the demo's job, so the Home page can find and follow it again after a reload. */
export const DEMO_JOB_TITLE = 'Running the demo';

/** How well one run's attention maps found the regions planted in the synthetic cohort. */
export const DemoRecovery = z.object({
  runId: z.number().int(),
  variant: z.string(),
  auc: z.number().nullable(),
  plantedRois: z.number().int(),
  /** The share of planted ROIs among k random ROIs. */
  chance: z.number(),
  /** Share of the planted ROIs among the top-k of each map (k = plantedRois). */
  precisionAtK: z.record(z.string(), z.number()),
});
export type DemoRecovery = z.infer<typeof DemoRecovery>;

/** What the finished demo job returns. */
export const DemoRunResult = z.object({
  cohortId: z.number().int(),
  cohortName: z.string(),
  runs: z.array(DemoRecovery),
  seconds: z.number(),
});
export type DemoRunResult = z.infer<typeof DemoRunResult>;
