import { z } from 'zod';

/** A PNG of the 3D brain view from one standard camera, as a data URI (rendered by the Brain page). */
export const BrainFigure = z.object({
  view: z.string().trim().min(1).max(40),
  png: z
    .string()
    .max(2_000_000, 'A figure may be at most about 1.5 MB (a PNG data URI of at most 2,000,000 characters).')
    .regex(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/, 'A figure must be a data:image/png;base64 URI.'),
});
export type BrainFigure = z.infer<typeof BrainFigure>;

export const ReportRequest = z.object({
  runId: z.number().int().positive(),
  format: z.enum(['html', 'pdf']),
  /** Subject identifiers are left out unless this is true. */
  includeSubjectIds: z.boolean().default(false),
  figures: z.array(BrainFigure).max(6).default([]),
});
export type ReportRequest = z.infer<typeof ReportRequest>;

/** A report comparing finished runs (it never holds subject identifiers). */
export const ComparisonReportRequest = z.object({
  runIds: z
    .array(z.number().int().positive())
    .min(2)
    .max(12)
    .refine((ids) => new Set(ids).size === ids.length, 'each run once'),
  format: z.enum(['html', 'pdf']),
});

/** The report file, base64-encoded, for the renderer to save. */
export const ReportFile = z.object({ fileName: z.string(), mimeType: z.enum(['text/html', 'application/pdf']), base64: z.string() });
export type ReportFile = z.infer<typeof ReportFile>;
