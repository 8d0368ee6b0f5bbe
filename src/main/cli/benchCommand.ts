import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SubjectPool } from '../cohort/subjectPool';
import { parseCommandArgs, UsageError } from './args';

/**
 * `neurolip bench import|train|render`: prints measured figures with the reference run beside them;
 * see docs/performance.md. Each loads only its own modules.
 */
export async function benchCommand(args: string[]): Promise<void> {
  const [what, ...rest] = args;
  if (what === 'import') {
    const values = parseCommandArgs('bench import', rest, {
      'shared-data': { type: 'string', default: resolve('..', 'shared', 'data') },
      python: { type: 'string', default: '/usr/bin/python3' },
      subjects: { type: 'string', default: '1000' },
      rounds: { type: 'string', default: '3' },
    });
    const [subjects, rounds] = [Number(values.subjects), Number(values.rounds)];
    if (!Number.isInteger(subjects) || subjects < 10) throw new UsageError('--subjects must be an integer of at least 10.');
    if (!Number.isInteger(rounds) || rounds < 1) throw new UsageError('--rounds must be a positive integer.');
    console.log(`NeuroLIP Studio import benchmark (${new Date().toISOString()})\n`);
    const { runImportBench } = await import('../bench/importBench');
    console.log(
      await runImportBench({ sharedData: resolve(values['shared-data']), python: values.python, syntheticSubjects: subjects, rounds }),
    );
    return;
  }
  if (what === 'import-once') {
    // One round of `bench import`, in the fresh process that command starts for it. As in
    // `neurolip import`, the worker threads start before the rest of the import's modules load.
    const [phenotype, folder] = rest;
    if (!phenotype || !folder) throw new UsageError('neurolip bench import-once PHENOTYPE FOLDER');
    const pool = new SubjectPool();
    const poolStarted = performance.now();
    try {
      const { measureImportOnce } = await import('../bench/importBench');
      console.log(JSON.stringify(await measureImportOnce(resolve(phenotype), resolve(folder), pool, poolStarted)));
    } finally {
      await pool.close();
    }
    return;
  }
  if (what === 'train') {
    const values = parseCommandArgs('bench train', rest, {
      subjects: { type: 'string', default: '1000' },
      rois: { type: 'string', default: '200' },
      epochs: { type: 'string', default: '3' },
      reference: { type: 'string', default: resolve('..', 'shared', 'reference') },
      python: { type: 'string', default: '/usr/bin/python3' },
    });
    const [subjects, rois, epochs] = [Number(values.subjects), Number(values.rois), Number(values.epochs)];
    if (![subjects, rois, epochs].every((v) => Number.isInteger(v) && v > 0))
      throw new UsageError('--subjects, --rois and --epochs must be positive integers.');
    console.log(`NeuroLIP Studio training benchmark (${new Date().toISOString()})\n`);
    const { runTrainBench } = await import('../bench/trainBench');
    console.log(await runTrainBench({ subjects, rois, epochs, reference: resolve(values.reference), python: values.python }));
    return;
  }
  if (what === 'render') {
    const values = parseCommandArgs('bench render', rest, {
      rois: { type: 'string', default: '200' },
      edges: { type: 'string', default: '300' },
      seconds: { type: 'string', default: '4' },
      rounds: { type: 'string', default: '7' },
      chromium: { type: 'string', default: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' },
    });
    const [rois, edges, rounds, seconds] = [Number(values.rois), Number(values.edges), Number(values.rounds), Number(values.seconds)];
    if (![rois, edges, rounds].every((v) => Number.isInteger(v) && v > 0) || !(seconds > 0))
      throw new UsageError('--rois, --edges and --rounds must be positive integers, --seconds a positive number.');
    const here = dirname(fileURLToPath(import.meta.url));
    const rendererDir = [resolve(here, '../renderer'), resolve(here, '../../renderer')].find((dir) => existsSync(join(dir, 'bench.html')));
    if (!rendererDir) throw new UsageError('The built renderer has no bench.html: run `npm run build` first (npm run bench does).');
    console.log(`NeuroLIP Studio render benchmark (${new Date().toISOString()})\n`);
    const { runRenderBench } = await import('../bench/renderBench');
    console.log(await runRenderBench({ rendererDir, rois, edges, seconds, rounds, chromium: values.chromium }));
    return;
  }
  throw new UsageError('neurolip bench: say what to measure: import, train or render.');
}
