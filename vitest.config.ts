import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import { sourceFingerprint } from './scripts/sourceFingerprint.mjs';
import { watPlugin } from './scripts/watPlugin.mjs';

export default defineConfig({
  plugins: [watPlugin()],
  define: { __NEUROLIP_SOURCE__: JSON.stringify(sourceFingerprint(resolve('.'))) },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
  },
});
