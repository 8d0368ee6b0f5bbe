import { Variant } from '../model/trainConfig';
import { RunRepository } from '../store/runRepository';
import { ProjectStore } from '../store/projectStore';
import { METRIC_NAMES, meanSd, type MetricName } from '../eval/metrics';
import { runExperiment, type RunResult } from '../train/runExperiment';
import { parseCommandArgs, UsageError } from './args';
import { applyBackendFlag, configFromFlags, findCohort, number, parseProtocol, parseSeeds, TRAIN_CONFIG_FLAGS } from './trainOptions';
import { projectPath } from './projectOption';
import { TrainingProgress } from './trainingProgress';
import { openWritableProject, TAKE_OVER_LOCK_FLAG } from './writableProject';

/** Mean and SD over seeds of each pooled metric. */
function acrossSeeds(results: RunResult[]): Record<MetricName, { mean: number; sd: number }> {
  return Object.fromEntries(METRIC_NAMES.map((name) => [name, meanSd(results.map((r) => r.metrics[name].value))])) as Record<
    MetricName,
    { mean: number; sd: number }
  >;
}

function describeResult(result: RunResult): string {
  const m = result.metrics;
  const lines = [
    `Run ${result.run}: ${result.variant}, ${result.protocol}, ${result.subjects} subjects, back end ${result.backend}`,
    `AUC ${m.auc.value.toFixed(3)} [${m.auc.ciLow.toFixed(3)}, ${m.auc.ciHigh.toFixed(3)}], ACC ${m.acc.value.toFixed(3)}, balanced ACC ${m.balancedAcc.value.toFixed(3)}`,
    ...Object.entries(result.fairness).map(
      ([name, f]) =>
        `Fairness ${name}: dDP ${f.dDP.toFixed(3)}, dEOpp ${f.dEOpp.toFixed(3)}, dEOdds ${f.dEOdds.toFixed(3)} (by chance ${f.dEOddsNull.chance.toFixed(3)}, p ${f.dEOddsNull.p.toFixed(3)}), dAUC ${f.dAUC.toFixed(3)}`,
    ),
    `Sex leakage probe AUC ${result.leakage.sexProbeAuc.mean.toFixed(3)}; site leakage probe AUC ${Number.isNaN(result.leakage.siteProbeAuc.mean) ? 'none (no site in both a fold’s training and test subjects)' : result.leakage.siteProbeAuc.mean.toFixed(3)}; mean epoch ${result.epochSeconds.toFixed(2)} s`,
  ];
  if (result.recovery)
    lines.push(
      `Planted P_dx recovered: precision@${result.recovery.plantedRois} ${JSON.stringify(result.recovery.precisionAtK)} (chance ${result.recovery.chance.toFixed(2)})`,
    );
  return lines.join('\n');
}

export async function trainCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('train', args, {
    project: { type: 'string' },
    cohort: { type: 'string' },
    variant: { type: 'string', default: 'neurolip' },
    ...TRAIN_CONFIG_FLAGS,
    seed: { type: 'string' },
    resume: { type: 'string' },
    seeds: { type: 'string' },
    json: { type: 'boolean', default: false },
    ...TAKE_OVER_LOCK_FLAG,
  });
  await applyBackendFlag(values.backend);
  const resume = number('--resume', values.resume);
  if (!values.cohort && resume === undefined) throw new UsageError('neurolip train needs --cohort NAME (or id), or --resume RUN.');
  const variant = Variant.safeParse(values.variant);
  if (!variant.success) throw new UsageError(`--variant must be one of ${Variant.options.join(', ')}.`);
  const protocol = parseProtocol(values.protocol);
  const config = configFromFlags(values, variant.data, protocol);
  const { store, close } = openWritableProject(values.project, 'train', values['take-over-lock']);
  try {
    new RunRepository(store.db).markInterrupted();
    const cohortId = resume === undefined ? findCohort(store.db, store.path, values.cohort ?? '', config.sensitive) : undefined;
    const seeds = values.seeds ? parseSeeds(values.seeds) : [config.seed];
    const results: RunResult[] = [];
    const runs = resume === undefined ? seeds.length : 1;
    const progress = new TrainingProgress(new Array<string>(runs).fill(variant.data));
    for (const seed of seeds) {
      const label = runs > 1 ? `seed ${seed}: ` : '';
      results.push(
        await runExperiment(store, resume !== undefined ? { resume } : { cohortId: cohortId!, config: { ...config, seed }, protocol }, {
          onProgress: (p) => progress.report(label, p),
        }),
      );
      progress.runDone();
      if (resume !== undefined) break;
    }
    const printable = (result: RunResult) => ({
      ...result,
      maps: result.maps ? { topRois: result.maps.topRois, overlap: result.maps.overlap } : null,
    });
    if (values.json) {
      console.log(
        JSON.stringify(
          results.length === 1 ? printable(results[0]!) : { seeds, runs: results.map(printable), acrossSeeds: acrossSeeds(results) },
          null,
          2,
        ),
      );
      return;
    }
    for (const result of results) console.log(describeResult(result));
    if (results.length > 1) {
      const across = acrossSeeds(results);
      console.log(
        `Across seeds ${seeds.join(', ')}: AUC ${across.auc.mean.toFixed(3)} ± ${across.auc.sd.toFixed(3)}, ACC ${across.acc.mean.toFixed(3)} ± ${across.acc.sd.toFixed(3)}`,
      );
    }
  } finally {
    close();
  }
}

export async function runsCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('runs', args, { project: { type: 'string' }, json: { type: 'boolean', default: false } });
  const store = ProjectStore.open(projectPath(values.project));
  try {
    const repository = new RunRepository(store.db);
    repository.markInterrupted();
    const runs = repository.list();
    if (values.json) console.log(JSON.stringify(runs, null, 2));
    else if (runs.length === 0) console.log('No runs yet. Start one with `neurolip train`.');
    else for (const r of runs) console.log(`${r.id}\t${r.name}\t${r.status}\t${r.backend ?? ''}\t${r.createdAt}`);
  } finally {
    store.close();
  }
}

export async function showRunCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('show-run', args, {
    project: { type: 'string' },
    run: { type: 'string' },
    json: { type: 'boolean', default: true },
  });
  const id = number('--run', values.run);
  if (id === undefined) throw new UsageError('neurolip show-run needs --run ID.');
  const store = ProjectStore.open(projectPath(values.project));
  try {
    const repository = new RunRepository(store.db);
    const run = repository.list().find((r) => r.id === id);
    if (!run) throw new UsageError(`No run ${id} in ${store.path}.`);
    console.log(JSON.stringify({ ...run, result: repository.summary(id) ?? null }, null, 2));
  } finally {
    store.close();
  }
}
