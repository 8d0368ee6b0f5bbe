import { writeFileSync } from 'node:fs';
import { Variant, type TrainConfig } from '../model/trainConfig';
import { summariseComparison, comparisonMarkdown, type ComparedRun } from '../eval/comparisonTable';
import { storedComparedRun } from '../eval/storedComparedRun';
import { RunRepository } from '../store/runRepository';
import { withMeasuredMotion } from '../train/cohortData';
import { findMatchingRun, type MatchingStatus } from '../train/matchingRun';
import { runExperiment, type ExperimentInput } from '../train/runExperiment';
import { parseCommandArgs, UsageError } from './args';
import { applyBackendFlag, configFromFlags, findCohort, parseProtocol, parseSeeds, TRAIN_CONFIG_FLAGS } from './trainOptions';
import { TrainingProgress } from './trainingProgress';
import { openWritableProject, TAKE_OVER_LOCK_FLAG } from './writableProject';

/**
 * `neurolip compare`: trains every variant for every seed on the same folds and prints the table
 * docs/model.md keeps (AUC, paired AUC difference, dEOdds, leakage, precision@k, all mean ± SD).
 * A finished run with the same configuration, seed and protocol is reused, and an interrupted one
 * (its process killed) resumed from its stored folds and checkpoints (unless --fresh), so an
 * interrupted comparison picks up where it stopped, also in the middle of a run.
 */
export async function compareCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('compare', args, {
    project: { type: 'string' },
    cohort: { type: 'string' },
    variants: { type: 'string', default: 'neurolip,neurolip-nofair,logreg-fc' },
    seeds: { type: 'string', default: '0,1,2' },
    ...TRAIN_CONFIG_FLAGS,
    markdown: { type: 'string' },
    fresh: { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    ...TAKE_OVER_LOCK_FLAG,
  });
  await applyBackendFlag(values.backend);
  if (!values.cohort) throw new UsageError('neurolip compare needs --cohort NAME (or id).');
  const variants = values.variants.split(',').map((name) => {
    const variant = Variant.safeParse(name.trim());
    if (!variant.success) throw new UsageError(`--variants takes ${Variant.options.join(', ')}; not "${name}".`);
    return variant.data;
  });
  if (new Set(variants).size !== variants.length) throw new UsageError('--variants names a variant twice.');
  const protocol = parseProtocol(values.protocol);
  const seeds = parseSeeds(values.seeds);
  const configs = variants.map((variant) => configFromFlags(values, variant, protocol));
  const { store, close } = openWritableProject(values.project, 'compare', values['take-over-lock']);
  try {
    const repository = new RunRepository(store.db);
    repository.markInterrupted();
    const cohortId = findCohort(store.db, store.path, values.cohort, configs[0]!.sensitive);
    const { name: cohortName } = store.db.prepare('SELECT name FROM cohorts WHERE id = ?').get(cohortId) as { name: string };
    const find = (config: TrainConfig, status: MatchingStatus) =>
      values.fresh ? undefined : findMatchingRun(store.db, cohortId, config, protocol, status);
    const plan = seeds.flatMap((seed) =>
      configs.map((config) => {
        const seeded = withMeasuredMotion(store.db, cohortId, { ...config, seed });
        const reused = find(seeded, 'done');
        return { seeded, reused, resumed: reused === undefined ? find(seeded, 'interrupted') : undefined };
      }),
    );
    const toTrain = plan.filter((step) => step.reused === undefined).map((step) => step.seeded.variant);
    const progress = new TrainingProgress(toTrain);
    const runs: ComparedRun[] = [];
    let subjects = 0;
    let trained = 0;
    for (const { seeded, reused, resumed } of plan) {
      const what = `${seeded.variant}, seed ${seeded.seed}`;
      let runId = reused;
      if (runId === undefined) {
        trained += 1;
        const label = `[${trained}/${toTrain.length}] ${what}: `;
        if (resumed !== undefined)
          process.stderr.write(`${label}resuming interrupted run ${resumed} (${repository.doneFolds(resumed).length} folds done)\n`);
        const input: ExperimentInput =
          resumed !== undefined
            ? { resume: resumed }
            : { cohortId, config: seeded, protocol, name: `compare ${seeded.variant} ${protocol} seed ${seeded.seed}` };
        runId = (await runExperiment(store, input, { onProgress: (p) => progress.report(label, p) })).run;
        progress.runDone();
      } else process.stderr.write(`${what}: reusing finished run ${runId}\n`);
      const { run, summary } = storedComparedRun(repository, runId, seeded.seed);
      subjects = summary.subjects;
      runs.push(run);
    }
    const rows = summariseComparison(runs, variants);
    const table = comparisonMarkdown(rows, { cohort: cohortName, protocol, seeds, subjects });
    if (values.markdown) writeFileSync(values.markdown, `${table}\n`);
    if (values.json) {
      const perRun = runs.map(({ scored: _scored, ...run }) => run);
      console.log(JSON.stringify({ cohort: cohortName, protocol, seeds, variants, rows, runs: perRun, markdown: table }, null, 2));
    } else console.log(table);
  } finally {
    close();
  }
}
