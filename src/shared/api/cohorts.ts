import { z } from 'zod';

export const CohortRef = z.object({ cohortId: z.number().int().positive() });

export const CohortListItem = z.object({
  id: z.number().int(),
  name: z.string(),
  layout: z.string(),
  subjects: z.number().int(),
  rois: z.number().int(),
  atlas: z.string().nullable(),
  synthetic: z.boolean(),
  createdAt: z.string(),
  /** Subjects with a head motion figure (mean framewise displacement), which motion adjustment needs. */
  withMotion: z.number().int(),
});
export type CohortListItem = z.infer<typeof CohortListItem>;

const GroupSize = z.object({ label: z.string(), n: z.number().int() });
/** A cohort's diagnosis groups: its control group and its patient groups (one, or several, as ADHD-200's subtypes imported apart). */
export const DiagnosisGroups = z.object({ control: GroupSize, patients: z.array(GroupSize) });
export type DiagnosisGroups = z.infer<typeof DiagnosisGroups>;

export const SubjectRow = z.object({
  id: z.number().int(),
  externalId: z.string(),
  diagnosis: z.string(),
  sex: z.string().nullable(),
  age: z.number().nullable(),
  site: z.string().nullable(),
  meanFd: z.number().nullable(),
  timePoints: z.number().int().nullable(),
  missingRois: z.number().int(),
});
export type SubjectRow = z.infer<typeof SubjectRow>;

export const CohortRoi = z.object({
  index: z.number().int(),
  column: z.string(),
  label: z.string(),
  x: z.number().nullable(),
  y: z.number().nullable(),
  z: z.number().nullable(),
});
export type CohortRoi = z.infer<typeof CohortRoi>;

export const CohortDetail = CohortListItem.extend({
  subjectsTable: z.array(SubjectRow),
  roisTable: z.array(CohortRoi),
  summary: z.unknown(),
});
export type CohortDetail = z.infer<typeof CohortDetail>;

/** The mean connectivity over a cohort's subjects, R x R row-major (masked ROIs excluded per pair). */
export const MeanConnectivity = z.object({ rois: z.number().int(), values: z.array(z.number()) });
export type MeanConnectivity = z.infer<typeof MeanConnectivity>;

export const RenameCohort = CohortRef.extend({ name: z.string().trim().min(1).max(100) });
