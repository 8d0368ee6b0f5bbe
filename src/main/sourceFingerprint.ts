/** Set at build time (electron.vite.config.ts) and for the unit tests (vitest.config.ts). */
declare const __NEUROLIP_SOURCE__: string;

/** The fingerprint of the code this process runs (scripts/sourceFingerprint.mjs), stored with every run. */
export const SOURCE_FINGERPRINT: string = __NEUROLIP_SOURCE__;
