import { defineConfig } from 'vitest/config';
import { watPlugin } from './scripts/watPlugin.mjs';

export default defineConfig({
  plugins: [watPlugin()],
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    environment: 'node',
    testTimeout: 30_000,
    pool: 'forks',
  },
});
