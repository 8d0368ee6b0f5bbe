import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import type { BackendAttempt, BackendInfo, BackendName } from '../../shared/api';

const nodeRequire = createRequire(import.meta.url);

type Tf = typeof import('@tensorflow/tfjs-core');

/** Back ends in the order they are preferred. */
export const BACKEND_ORDER: readonly BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'];

const LABELS: Record<BackendName, string> = {
  'tensorflow-gpu': 'TensorFlow native (GPU, @tensorflow/tfjs-node-gpu)',
  tensorflow: 'TensorFlow native (CPU, @tensorflow/tfjs-node)',
  wasm: 'WebAssembly (SIMD, 1 thread, @tensorflow/tfjs-backend-wasm)',
  cpu: 'Plain JavaScript (@tensorflow/tfjs-backend-cpu)',
};

/** Registers one back end with TensorFlow.js and returns the name tf knows it by. */
async function register(name: BackendName): Promise<string> {
  switch (name) {
    case 'tensorflow-gpu':
      nodeRequire('@tensorflow/tfjs-node-gpu');
      return 'tensorflow';
    case 'tensorflow':
      nodeRequire('@tensorflow/tfjs-node');
      return 'tensorflow';
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const dist = dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(`${dist}/`);
      wasm.setThreadsCount(1);
      return 'wasm';
    }
    case 'cpu':
      await import('@tensorflow/tfjs-backend-cpu');
      return 'cpu';
  }
}

function short(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const first = text.split('\n')[0] ?? text;
  return first.length > 200 ? `${first.slice(0, 197)}...` : first;
}

let chosen: Promise<BackendInfo> | null = null;

/**
 * Picks the fastest back end that works on this machine: tfjs-node-gpu, then tfjs-node, then
 * wasm, then cpu. `prefer` (or NEUROLIP_BACKEND) starts the search at that back end instead.
 * The choice is made once per process.
 */
export function selectBackend(prefer: BackendName | undefined = envPreference()): Promise<BackendInfo> {
  chosen ??= choose(prefer);
  return chosen;
}

function envPreference(): BackendName | undefined {
  const value = process.env.NEUROLIP_BACKEND;
  return BACKEND_ORDER.find((name) => name === value);
}

async function choose(prefer: BackendName | undefined): Promise<BackendInfo> {
  const tf: Tf = await import('@tensorflow/tfjs-core');
  const order = prefer ? BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(prefer)) : BACKEND_ORDER;
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      const tfName = await register(name);
      if (!(await tf.setBackend(tfName))) throw new Error('TensorFlow.js could not initialise it');
      await tf.ready();
      attempts.push({ name, ok: true, reason: 'in use' });
      return { name, label: LABELS[name], attempts };
    } catch (error) {
      attempts.push({ name, ok: false, reason: short(error) });
    }
  }
  throw new Error(`No TensorFlow.js back end works here: ${attempts.map((a) => `${a.name}: ${a.reason}`).join('; ')}`);
}

export function tfjsVersion(): string {
  return (nodeRequire('@tensorflow/tfjs-core/package.json') as { version: string }).version;
}
