import { DemoRunResult, type DemoRecovery } from '../../shared/api';
import type { JobContext } from '../jobs/jobManager';
import type { SerialQueue } from '../jobs/serialQueue';
import { TrainConfig, type Variant } from '../model/trainConfig';
import type { ProjectStore } from '../store/projectStore';
import { importDemoCohort } from '../synth/demoCohort';
import { DEFAULT_SYNTHETIC } from '../synth/syntheticCohort';
import { runExperiment } from '../train/runExperiment';
import { TRAINING_PRESETS } from '../../shared/trainDefaults';

/**
 * The variants the demo trains, in order. The fairness-free one goes first so that NeuroLIP, the
 * last run to finish, is the one the Results and Brain pages show by default.
 */
export const DEMO_VARIANTS: Variant[] = ['neurolip-nofair', 'neurolip'];

/** Share of the job's progress the import takes; the two trainings share the rest evenly. */
const IMPORT_SHARE = 0.1;

/**
 * The one-click demo: imports the synthetic cohort with its planted ground truth (or reuses it),
 * then trains each demo variant with the quick preset, one after the other in the training queue.
 */
export async function runDemo(store: ProjectStore, queue: SerialQueue, job: JobContext): Promise<DemoRunResult> {
  const started = Date.now();
  const demo = await importDemoCohort(store, DEFAULT_SYNTHETIC, {
    signal: job.signal,
    progress: (fraction, message) => job.progress(IMPORT_SHARE * fraction, `Synthetic cohort: ${message}`),
  });
  const runs: DemoRecovery[] = [];
  const share = (1 - IMPORT_SHARE) / DEMO_VARIANTS.length;
  for (const [index, variant] of DEMO_VARIANTS.entries()) {
    const base = IMPORT_SHARE + index * share;
    const config = TrainConfig.parse({ ...TRAINING_PRESETS.quick.config, variant });
    const result = await queue.run(job, () =>
      runExperiment(
        store,
        { cohortId: demo.cohortId, config, protocol: 'kfold5', name: `Demo: ${variant}` },
        {
          signal: job.signal,
          onProgress: (p) =>
            job.progress(base + share * p.fraction, `Training ${variant} (${index + 1} of ${DEMO_VARIANTS.length}): ${p.message}`),
          onRun: (runId) => job.linkRun(runId),
        },
      ),
    );
    if (!result.recovery) throw new Error(`The ${variant} run stored no recovery of the planted regions.`);
    runs.push({
      runId: result.run,
      variant,
      auc: Number.isFinite(result.metrics.auc.value) ? result.metrics.auc.value : null,
      plantedRois: result.recovery.plantedRois,
      chance: result.recovery.chance,
      precisionAtK: result.recovery.precisionAtK,
    });
  }
  return DemoRunResult.parse({ cohortId: demo.cohortId, cohortName: demo.name, runs, seconds: (Date.now() - started) / 1000 });
}
