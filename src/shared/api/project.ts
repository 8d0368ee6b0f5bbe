import { z } from 'zod';

/** Row counts of the main tables: what the Home page shows about the open project. */
export const ProjectSummary = z.object({
  projectPath: z.string(),
  /** Set when this is a read-only copy of a damaged project: the damaged original's path. */
  readOnlyCopyOf: z.string().nullable(),
  cohorts: z.number().int().nonnegative(),
  subjects: z.number().int().nonnegative(),
  atlases: z.number().int().nonnegative(),
  runs: z.number().int().nonnegative(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;
