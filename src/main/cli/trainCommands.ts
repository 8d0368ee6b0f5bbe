import { readFileSync } from 'node:fs';
import { BackendName } from '../../shared/api';
import { TrainConfig, Variant } from '../model/trainConfig';
import { selectBackend } from '../tf/backend';
import { RunRepository } from '../store/runRepository';
import { ProjectStore } from '../store/projectStore';
import { METRIC_NAMES, meanSd, type MetricName } from '../eval/metrics';
import { runExperiment, type Protocol, type RunResult } from '../train/runExperiment';
import { checkSensitiveAttributes, cohortSensitiveAttributes } from '../train/sensitiveAttributes';
import { parseCommandArgs, UsageError } from './args';
import { projectPath } from './projectOption';
import { openWritableProject } from './writableProject';

function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new UsageError(`${flag} must be a number, not "${value}".`);
  return parsed;
}

/** A JSON file of configuration fields (any of TrainConfig's); flags given on the command line win. */
function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`--config: cannot read ${path}: ${(error as Error).message}`);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('it is not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(`--config: ${path} is not a configuration: ${(error as Error).message}`);
  }
}

/** Drops the fields whose flag was not given, so they do not hide the config file's values. */
function given(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}

/** Short names the CLI accepts for the derived attributes; any other name is a phenotype column, checked against the cohort. */
const SENSITIVE_ALIASES: Record<string, string> = { age: 'ageGroup' };

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
        `Fairness ${name}: dDP ${f.dDP.toFixed(3)}, dEOpp ${f.dEOpp.toFixed(3)}, dEOdds ${f.dEOdds.toFixed(3)}, dAUC ${f.dAUC.toFixed(3)}`,
    ),
    `Sex leakage probe AUC ${result.leakage.sexProbeAuc.mean.toFixed(3)}; mean epoch ${result.epochSeconds.toFixed(2)} s`,
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
    protocol: { type: 'string', default: 'kfold5' },
    epochs: { type: 'string' },
    patience: { type: 'string' },
    seed: { type: 'string' },
    d: { type: 'string' },
    layers: { type: 'string' },
    'batch-size': { type: 'string' },
    sensitive: { type: 'string' },
    resume: { type: 'string' },
    backend: { type: 'string' },
    seeds: { type: 'string' },
    config: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (values.backend !== undefined) {
    const backend = BackendName.safeParse(values.backend);
    if (!backend.success) throw new UsageError(`--backend must be one of ${BackendName.options.join(', ')}.`);
    await selectBackend(backend.data);
  }
  const resume = number('--resume', values.resume);
  if (!values.cohort && resume === undefined) throw new UsageError('neurolip train needs --cohort NAME (or id), or --resume RUN.');
  const variant = Variant.safeParse(values.variant);
  if (!variant.success) throw new UsageError(`--variant must be one of ${Variant.options.join(', ')}.`);
  if (values.protocol !== 'kfold5' && values.protocol !== 'loso') throw new UsageError('--protocol must be kfold5 or loso.');
  const sensitive = values.sensitive?.split(',').map((name) => {
    if (name.trim() === '') throw new UsageError('--sensitive takes comma-separated column names, e.g. sex,age,site,HANDEDNESS_CATEGORY.');
    return SENSITIVE_ALIASES[name.trim()] ?? name.trim();
  });
  const parsed = TrainConfig.safeParse({
    ...(values.config ? readConfigFile(values.config) : {}),
    ...given({
      variant: variant.data,
      epochs: number('--epochs', values.epochs),
      patience: number('--patience', values.patience),
      seed: number('--seed', values.seed),
      d: number('--d', values.d),
      layers: number('--layers', values.layers),
      batchSize: number('--batch-size', values['batch-size']),
      sensitive,
    }),
  });
  if (!parsed.success)
    throw new UsageError(`Invalid configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const { store, close } = openWritableProject(values.project, 'train');
  try {
    new RunRepository(store.db).markInterrupted();
    const cohort = store.db
      .prepare('SELECT id FROM cohorts WHERE name = ? OR CAST(id AS TEXT) = ?')
      .get(values.cohort ?? '', values.cohort ?? '') as { id: number } | undefined;
    if (resume === undefined && !cohort) throw new UsageError(`No cohort "${values.cohort}" in ${store.path}; see neurolip cohorts.`);
    if (cohort) {
      try {
        checkSensitiveAttributes(cohortSensitiveAttributes(store.db, cohort.id), parsed.data.sensitive);
      } catch (error) {
        throw new UsageError(`--sensitive: ${(error as Error).message}`);
      }
    }
    const seeds = values.seeds
      ? values.seeds.split(',').map((seed) => {
          const parsedSeed = Number(seed);
          if (!Number.isInteger(parsedSeed) || parsedSeed < 0) throw new UsageError(`--seeds takes non-negative integers, not "${seed}".`);
          return parsedSeed;
        })
      : [parsed.data.seed];
    const results: RunResult[] = [];
    for (const seed of seeds) {
      results.push(
        await runExperiment(
          store,
          resume !== undefined
            ? { resume }
            : { cohortId: cohort!.id, config: { ...parsed.data, seed }, protocol: values.protocol as Protocol },
          {
            onProgress: (p) => {
              if (!values.json && p.epoch)
                process.stderr.write(
                  `\r${p.message}: loss ${p.epoch.terms.loss?.toFixed(4)}, val AUC ${p.epoch.valAuc.toFixed(3)}, ${p.epoch.seconds.toFixed(1)} s   `,
                );
            },
          },
        ),
      );
      if (!values.json) process.stderr.write('\n');
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
