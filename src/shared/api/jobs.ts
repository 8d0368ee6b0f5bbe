import { z } from 'zod';

export const JobId = z.string().regex(/^job-[0-9a-z-]{1,64}$/, 'not a job id');
export type JobId = z.infer<typeof JobId>;

export const JobKind = z.enum(['import', 'train', 'evaluate', 'export']);
export type JobKind = z.infer<typeof JobKind>;

export const JobState = z.enum(['running', 'done', 'failed', 'cancelled']);
export type JobState = z.infer<typeof JobState>;

/** A snapshot of where a long job stands. Every progress event carries one. */
export const JobStatus = z.object({
  id: JobId,
  kind: JobKind,
  title: z.string(),
  state: JobState,
  /** 0..1, or null while the total is unknown. */
  fraction: z.number().min(0).max(1).nullable(),
  message: z.string(),
  /** Seconds left, estimated from the rate so far; null until it can be estimated. */
  etaSeconds: z.number().nonnegative().nullable(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** What the job produced, once done (e.g. the new cohort's id). */
  result: z.unknown().optional(),
  /** The stored run a training job writes to, once created: its epochs can be read back (runs.epochs). */
  runId: z.number().int().optional(),
});
export type JobStatus = z.infer<typeof JobStatus>;

/** One finished training epoch, streamed so the UI can draw live curves. */
export const EpochPoint = z.object({
  fold: z.number().int(),
  epoch: z.number().int(),
  seconds: z.number(),
  valAuc: z.number().nullable(),
  /** Mean loss terms over the epoch (loss, L_dx, L_sex, L_dis, gate_sex, ...). */
  terms: z.record(z.string(), z.number()),
});
export type EpochPoint = z.infer<typeof EpochPoint>;

export const JobEvent = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), status: JobStatus }),
  z.object({ type: z.literal('log'), level: z.enum(['info', 'warning']), message: z.string() }),
  z.object({ type: z.literal('epoch'), point: EpochPoint }),
]);
export type JobEvent = z.infer<typeof JobEvent>;

export const JobRef = z.object({ jobId: JobId });
