/** A short hash of src/main's and src/shared's sources, tests left out (see sourceFingerprint.mjs). */
export function sourceFingerprint(root: string): string;
