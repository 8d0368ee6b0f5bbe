import type Database from 'better-sqlite3';
import { LOGREG_SETTINGS } from '../../shared/settingText';
import { STORED_CONFIG_DEFAULTS } from '../../shared/trainDefaults';
import type { TrainConfig } from '../model/trainConfig';
import { resolveVariant } from '../model/trainConfig';
import { SOURCE_FINGERPRINT } from '../sourceFingerprint';
import type { Protocol } from './runExperiment';

/**
 * A configuration as a string with sorted keys, fields older runs did not store filled as they
 * trained (STORED_CONFIG_DEFAULTS); for logreg-fc only the fields its results depend on.
 */
function canonical(config: Record<string, unknown>): string {
  const filled: Record<string, unknown> = { ...STORED_CONFIG_DEFAULTS, ...config };
  const keys = Object.keys(filled).filter((key) => filled.variant !== 'logreg-fc' || LOGREG_SETTINGS.has(key));
  return JSON.stringify(Object.fromEntries(keys.sort().map((key) => [key, filled[key]])));
}

/** A finished run can be reused as it is; an interrupted one (its process killed) resumed from its checkpoints. */
export type MatchingStatus = 'done' | 'interrupted';

/**
 * The latest run of this cohort with this status and exactly this configuration, seed and
 * protocol, trained by this build's code (the same source fingerprint), if there is one: a
 * finished one would give the same numbers again, so a comparison reuses it; an interrupted one
 * resumes to the numbers it would have given, so a comparison resumes it.
 */
export function findMatchingRun(
  db: Database.Database,
  cohortId: number,
  config: TrainConfig,
  protocol: Protocol,
  status: MatchingStatus,
): number | undefined {
  const wanted = canonical({ ...resolveVariant(config), protocol });
  const rows = db
    .prepare(
      "SELECT id, config FROM runs WHERE cohort_id = ? AND variant = ? AND seed = ? AND status = ? AND json_extract(versions, '$.source') = ? ORDER BY id DESC",
    )
    .all(cohortId, config.variant, config.seed, status, SOURCE_FINGERPRINT) as { id: number; config: string }[];
  return rows.find((row) => canonical(JSON.parse(row.config) as Record<string, unknown>) === wanted)?.id;
}
