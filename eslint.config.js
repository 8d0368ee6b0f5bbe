import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const OUR_LAYERS = ['**/main/**', '**/renderer/**', '**/preload/**', '**/test-support/**'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The API contract stands alone: it imports nothing of ours.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: OUR_LAYERS, message: 'src/shared imports nothing of ours.' }] }],
    },
  },
  {
    // The services run in plain Node too (CLI, local server, trainer): only the Electron entry knows Electron.
    files: ['src/main/**'],
    // Tests may join the layers, e.g. the renderer's IPC link to the main process's dispatcher.
    ignores: ['src/main/index.ts', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only src/main/index.ts and src/preload may import electron.' }],
          patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'Services do not import the UI.' }],
        },
      ],
    },
  },
  {
    // The renderer reaches the services only through the API (types are fine).
    files: ['src/renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks to the main process through window.neurolip only.' }],
          patterns: [
            { group: ['**/main/**', '**/preload/**'], allowTypeImports: true, message: 'The renderer imports only types from src/main.' },
          ],
        },
      ],
    },
  },
);
