import { z } from 'zod';

export const BackendName = z.enum(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']);
export type BackendName = z.infer<typeof BackendName>;

/** One back end that was tried while choosing, and why it was not used. */
export const BackendAttempt = z.object({
  name: BackendName,
  ok: z.boolean(),
  reason: z.string(),
});
export type BackendAttempt = z.infer<typeof BackendAttempt>;

export const BackendInfo = z.object({
  name: BackendName,
  /** Human label, e.g. "WebAssembly (SIMD, 1 thread)". */
  label: z.string(),
  attempts: z.array(BackendAttempt),
});
export type BackendInfo = z.infer<typeof BackendInfo>;

export const Shell = z.enum(['desktop', 'server', 'cli']);
export type Shell = z.infer<typeof Shell>;

export const AppInfo = z.object({
  appVersion: z.string(),
  schemaVersion: z.number().int(),
  projectSchemaVersion: z.number().int(),
  projectPath: z.string(),
  backend: BackendInfo,
  shell: Shell,
  versions: z.object({
    node: z.string(),
    electron: z.string().nullable(),
    sqlite: z.string(),
    tfjs: z.string(),
  }),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfo>;
