#!/usr/bin/env node
// The `neurolip` command: runs the built CLI, building the app first if it has never been built.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'out', 'main', 'cli.js');

if (!existsSync(cli)) {
  console.error('NeuroLIP Studio has not been built yet; building it once (npm run build)...');
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
}
await import(pathToFileURL(cli).href);
