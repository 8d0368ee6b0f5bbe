import { z } from 'zod';
import { CohortRoi } from './cohorts';
import { LocalPath } from './files';

const RunId = z.number().int().positive();

/** What a map shows: a diagnosis token, a sensitive-attribute token, or the patient-minus-control contrast. */
export const BrainTokenKind = z.enum(['diagnosis', 'sensitive', 'contrast']);
export type BrainTokenKind = z.infer<typeof BrainTokenKind>;

export const BrainToken = z.object({ id: z.string(), kind: BrainTokenKind, label: z.string() });
export type BrainToken = z.infer<typeof BrainToken>;

/** A subject whose out-of-fold attention maps are stored, with the tokens stored for them. */
export const BrainSubject = z.object({ id: z.number().int(), externalId: z.string(), diagnosis: z.string() });
export type BrainSubject = z.infer<typeof BrainSubject>;

/**
 * Everything the brain view needs to draw a run's group maps: the cohort's ROIs (label, MNI x/y/z),
 * the tokens, and one value per ROI for each group token and the contrast (in ROI order).
 */
export const BrainRunMaps = z.object({
  runId: z.number().int(),
  cohortId: z.number().int(),
  atlas: z.string().nullable(),
  rois: z.array(CohortRoi),
  groupTokens: z.array(BrainToken),
  groupMaps: z.record(z.string(), z.array(z.number())),
  /** Tokens stored per subject (`dx:<group>`, `own:<attribute>`), plus `contrast` (patient minus control token). */
  subjectTokens: z.array(BrainToken),
  subjects: z.array(BrainSubject),
  /** Bhattacharyya overlap of the diagnosis map with each sensitive attribute's map, as stored with the run. */
  overlap: z.record(z.string(), z.number()),
});
export type BrainRunMaps = z.infer<typeof BrainRunMaps>;

export const SubjectMapRequest = z.object({ runId: RunId, subjectId: z.number().int().positive(), token: z.string().min(1).max(200) });

/** One subject's map for one token, one value per ROI. */
export const SubjectMap = z.object({ subjectId: z.number().int(), token: z.string(), values: z.array(z.number()) });
export type SubjectMap = z.infer<typeof SubjectMap>;

/** Mean Fisher-z connectivity of the patients minus that of the controls, R x R row-major. */
export const ConnectivityDifference = z.object({
  rois: z.number().int(),
  patients: z.number().int(),
  controls: z.number().int(),
  values: z.array(z.number()),
});
export type ConnectivityDifference = z.infer<typeof ConnectivityDifference>;

/** A GIfTI surface on the machine that runs the app; without a path, the default glass brain. */
export const SurfaceRequest = z.object({ path: LocalPath.optional() });

/** A triangle mesh in MNI millimetres: vertices [V, 3] and triangles [T, 3], flattened. */
export const BrainSurface = z.object({
  source: z.string(),
  vertices: z.array(z.number()),
  triangles: z.array(z.number().int().nonnegative()),
});
export type BrainSurface = z.infer<typeof BrainSurface>;

/**
 * A reference map for the run's atlas: a CSV of one value per ROI, or a NIfTI volume parcellated on
 * the atlas's label image (given, or the one the atlas was derived from).
 */
export const ReferenceMapRequest = z.object({ runId: RunId, path: LocalPath, labelImage: LocalPath.optional() });

export const ReferenceMap = z.object({
  file: z.string(),
  kind: z.enum(['csv', 'nifti']),
  /** One value per ROI, in the run's ROI order. */
  values: z.array(z.number()),
});
export type ReferenceMap = z.infer<typeof ReferenceMap>;

/** Two of a run's group tokens, to compare side by side. */
export const MapOverlapRequest = z.object({ runId: RunId, tokens: z.tuple([z.string().min(1).max(200), z.string().min(1).max(200)]) });

/** Bhattacharyya coefficient of the two maps, each normalised to sum 1: 1 for identical maps, 0 for disjoint ones. */
export const MapOverlap = z.object({ overlap: z.number() });
