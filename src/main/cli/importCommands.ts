import { deriveBuiltinAtlases } from '../cohort/atlas/deriveBuiltinAtlases';
import { CohortRepository } from '../store/cohortRepository';
import { ProjectStore } from '../store/projectStore';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importDemoCohort } from '../synth/demoCohort';
import { DEFAULT_SYNTHETIC } from '../synth/syntheticCohort';
import { parseCommandArgs, parseNumberOption, UsageError } from './args';
import { formatImportSummary } from './formatImportSummary';
import { projectPath } from './projectOption';
import { openWritableProject, TAKE_OVER_LOCK_FLAG } from './writableProject';

export async function cohortsCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('cohorts', args, { project: { type: 'string' }, json: { type: 'boolean', default: false } });
  const store = ProjectStore.open(projectPath(values.project));
  try {
    const cohorts = new CohortRepository(store.db).list();
    if (values.json) console.log(JSON.stringify(cohorts, null, 2));
    else if (cohorts.length === 0) console.log('No cohorts yet. Import one with `neurolip import`, or try `neurolip demo`.');
    else
      for (const c of cohorts)
        console.log(
          `${c.id}\t${c.name}\t${c.subjects} subjects\t${c.rois} ROIs\t${c.atlas ?? 'no atlas'}${c.synthetic ? '\tsynthetic' : ''}`,
        );
  } finally {
    store.close();
  }
}

/** Developer command: derives resources/atlases from MRIcron's templates (`npm run atlases`). */
export async function deriveAtlasesCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('derive-atlases', args, {
    templates: { type: 'string', default: '/usr/share/mricron/templates' },
    out: { type: 'string', default: 'resources/atlases' },
  });
  const atlases = deriveBuiltinAtlases(values.templates);
  mkdirSync(values.out, { recursive: true });
  for (const [id, atlas] of Object.entries(atlases)) {
    writeFileSync(join(values.out, `${id}.json`), `${JSON.stringify(atlas, null, 1)}\n`);
    console.log(`${id}: ${atlas.rois.length} ROIs -> ${join(values.out, `${id}.json`)}`);
  }
}

export async function demoCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('demo', args, {
    project: { type: 'string' },
    subjects: { type: 'string' },
    seed: { type: 'string' },
    json: { type: 'boolean', default: false },
    ...TAKE_OVER_LOCK_FLAG,
  });
  const subjects = parseNumberOption('--subjects', values.subjects) ?? DEFAULT_SYNTHETIC.subjects;
  const seed = parseNumberOption('--seed', values.seed) ?? DEFAULT_SYNTHETIC.seed;
  if (!Number.isInteger(subjects) || subjects < 20 || subjects > 5000)
    throw new UsageError('--subjects must be an integer from 20 to 5000.');
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError('--seed must be a non-negative integer.');
  const { store, close } = openWritableProject(values.project, 'demo', values['take-over-lock']);
  try {
    const demo = await importDemoCohort(store, { ...DEFAULT_SYNTHETIC, subjects, seed });
    if (values.json) {
      console.log(
        JSON.stringify(
          {
            cohortId: demo.cohortId,
            cohort: demo.name,
            folder: demo.folder,
            reused: demo.summary === null,
            summary: demo.summary,
            truth: demo.truth,
          },
          null,
          2,
        ),
      );
    } else {
      console.log(
        demo.summary
          ? formatImportSummary(demo.summary, false)
          : `The demo cohort "${demo.name}" is already in this project (id ${demo.cohortId}).`,
      );
      console.log(`Synthetic data with planted ground truth (P_dx: ${demo.truth.pDxLabels.join(', ')}), written to ${demo.folder}.`);
    }
  } finally {
    close();
  }
}
