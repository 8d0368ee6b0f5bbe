import { defineConfig } from 'vitest/config';

/** Browser and CLI tests against the built app (run `npm run build` first; `npm test` does). */
export default defineConfig({
  test: {
    include: ['e2e/**/*.e2e.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
