import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import pkg from './package.json';
import { sourceFingerprint } from './scripts/sourceFingerprint.mjs';
import { watPlugin } from './scripts/watPlugin.mjs';

// electron-vite reads Electron's version from its package to pick build targets. Where Electron's
// download failed (it is optional), take the major version from our own dependency range instead.
process.env.ELECTRON_MAJOR_VER ??= /\d+/.exec(pkg.optionalDependencies.electron)?.[0];

export default defineConfig({
  main: {
    plugins: [watPlugin()],
    define: { __NEUROLIP_SOURCE__: JSON.stringify(sourceFingerprint(resolve('.'))) },
    build: {
      rollupOptions: {
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli/index.ts'),
          subjectWorker: resolve('src/main/cohort/subjectWorker.ts'),
          checkpointWorker: resolve('src/main/store/checkpointWorker.ts'),
          tangentWorker: resolve('src/main/train/tangentWorker.ts'),
          trainerProcess: resolve('src/main/train/trainerProcess.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve('src/renderer/index.html'), bench: resolve('src/renderer/bench.html') } },
    },
  },
});
