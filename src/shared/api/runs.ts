import { z } from 'zod';

export const TrainRequest = z.object({
  cohortId: z.number().int().positive(),
  protocol: z.enum(['kfold5', 'loso']),
  /** Validated on the Node side against the full training configuration (spec defaults). */
  config: z.record(z.string(), z.unknown()),
  name: z.string().trim().min(1).max(200).optional(),
});

export const RunRef = z.object({ runId: z.number().int().positive() });

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
});
