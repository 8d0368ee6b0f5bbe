import { z } from 'zod';

/** An absolute path on the machine that runs the app (where the data is). */
export const LocalPath = z
  .string()
  .min(1)
  .max(4096)
  .refine((path) => !path.includes('\0'), 'a path without NUL bytes')
  .refine((path) => path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path), 'an absolute path');

export const BrowseRequest = z.object({ path: LocalPath.optional() });

export const BrowseEntry = z.object({
  name: z.string(),
  path: z.string(),
  kind: z.enum(['folder', 'file']),
  sizeBytes: z.number().int().nullable(),
});
export type BrowseEntry = z.infer<typeof BrowseEntry>;

export const BrowseResult = z.object({
  path: z.string(),
  parent: z.string().nullable(),
  entries: z.array(BrowseEntry),
});
export type BrowseResult = z.infer<typeof BrowseResult>;
