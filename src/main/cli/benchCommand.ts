import { resolve } from 'node:path';
import { runImportBench } from '../bench/importBench';
import { parseCommandArgs, UsageError } from './args';

/** `neurolip bench <what>`: prints measured figures; see docs/performance.md. */
export async function benchCommand(args: string[]): Promise<void> {
  const [what, ...rest] = args;
  if (what !== 'import') throw new UsageError('neurolip bench: say what to measure: import.');
  const values = parseCommandArgs('bench import', rest, {
    'shared-data': { type: 'string', default: resolve('..', 'shared', 'data') },
    python: { type: 'string', default: '/usr/bin/python3' },
    subjects: { type: 'string', default: '1000' },
  });
  const subjects = Number(values.subjects);
  if (!Number.isInteger(subjects) || subjects < 10) throw new UsageError('--subjects must be an integer of at least 10.');
  console.log(`NeuroLIP Studio import benchmark (${new Date().toISOString()})\n`);
  console.log(await runImportBench({ sharedData: resolve(values['shared-data']), python: values.python, syntheticSubjects: subjects }));
}
