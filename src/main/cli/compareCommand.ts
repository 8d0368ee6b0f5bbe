import { writeFileSync } from 'node:fs';
import { Variant } from '../model/trainConfig';
import { summariseComparison, comparisonMarkdown, type ComparedRun } from '../eval/comparisonTable';
import { RunRepository } from '../store/runRepository';
import { runExperiment } from '../train/runExperiment';
import { parseCommandArgs, UsageError } from './args';
import { applyBackendFlag, configFromFlags, findCohort, parseProtocol, parseSeeds, TRAIN_CONFIG_FLAGS } from './trainOptions';
import { openWritableProject } from './writableProject';

/**
 * `neurolip compare`: trains every variant for every seed on the same folds and prints the table
 * docs/model.md keeps (AUC, paired AUC difference, dEOdds, leakage, precision@k, all mean ± SD).
 */
export async function compareCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('compare', args, {
    project: { type: 'string' },
    cohort: { type: 'string' },
    variants: { type: 'string', default: 'neurolip,neurolip-nofair,logreg-fc' },
    seeds: { type: 'string', default: '0,1,2' },
    ...TRAIN_CONFIG_FLAGS,
    markdown: { type: 'string' },
    json: { type: 'boolean', default: false },
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
  const configs = variants.map((variant) => configFromFlags(values, variant));
  const { store, close } = openWritableProject(values.project, 'compare');
  try {
    const repository = new RunRepository(store.db);
    repository.markInterrupted();
    const cohortId = findCohort(store.db, store.path, values.cohort, configs[0]!.sensitive);
    const { name: cohortName } = store.db.prepare('SELECT name FROM cohorts WHERE id = ?').get(cohortId) as { name: string };
    const runs: ComparedRun[] = [];
    let subjects = 0;
    for (const seed of seeds) {
      for (const config of configs) {
        if (!values.json) process.stderr.write(`${config.variant}, seed ${seed}...\n`);
        const result = await runExperiment(store, {
          cohortId,
          config: { ...config, seed },
          protocol,
          name: `compare ${config.variant} ${protocol} seed ${seed}`,
        });
        subjects = result.subjects;
        const scored = new Map(
          repository.predictions(result.run).map((p) => [p.subjectId, { fold: p.fold, label: p.label, score: p.score }]),
        );
        runs.push({
          variant: config.variant,
          seed,
          runId: result.run,
          auc: result.metrics.auc.value,
          acc: result.metrics.acc.value,
          balancedAcc: result.metrics.balancedAcc.value,
          dEOdds: Object.fromEntries(Object.entries(result.fairness).map(([name, report]) => [name, report.dEOdds])),
          leakage: result.leakage.sexProbeAuc.mean,
          ...(result.recovery
            ? {
                recovery: {
                  patientMap: result.recovery.precisionAtK.patientMap,
                  absoluteContrast: result.recovery.precisionAtK.absoluteContrast,
                },
              }
            : {}),
          epochSeconds: result.epochSeconds,
          scored: { bySubject: scored },
        });
      }
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
