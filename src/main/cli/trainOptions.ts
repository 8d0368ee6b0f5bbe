import { readFileSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { BackendName } from '../../shared/api';
import { CONFIG_FIELD_NAMES, MEMBER_ONLY_FIELD_NAMES, TrainConfig, type Variant } from '../model/trainConfig';
import type { Protocol } from '../train/runExperiment';
import { checkSensitiveAttributes, cohortSensitiveAttributes } from '../train/sensitiveAttributes';
import { selectBackend } from '../tf/backend';
import { UsageError } from './args';

/** The flags `train` and `compare` share: the configuration, the protocol and the back end. */
export const TRAIN_CONFIG_FLAGS = {
  protocol: { type: 'string', default: 'kfold5' },
  epochs: { type: 'string' },
  patience: { type: 'string' },
  d: { type: 'string' },
  layers: { type: 'string' },
  'batch-size': { type: 'string' },
  sensitive: { type: 'string' },
  patients: { type: 'string' },
  config: { type: 'string' },
  backend: { type: 'string' },
} as const;

type ConfigFlags = Partial<Record<Exclude<keyof typeof TRAIN_CONFIG_FLAGS, 'protocol'>, string>> & { seed?: string };

export function number(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new UsageError(`${flag} must be a number, not "${value}".`);
  return parsed;
}

/** Short names the CLI accepts for the derived attributes; any other name is a phenotype column, checked against the cohort. */
const SENSITIVE_ALIASES: Record<string, string> = { age: 'ageGroup' };

/** The flags whose names differ from the fields they set. */
const FLAG_OF_FIELD: Record<string, string> = { batchSize: '--batch-size', patientGroups: '--patients' };

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

/** A misspelt or misplaced setting in a --config file would otherwise be dropped without a word. */
function refuseUnknownSettings(fromFile: Record<string, unknown>, path: string): void {
  const unknown = Object.keys(fromFile).filter((name) => !CONFIG_FIELD_NAMES.has(name));
  if (unknown.length === 0) return;
  const problems = unknown.map((name) =>
    MEMBER_ONLY_FIELD_NAMES.has(name)
      ? `${path}: ${name}: a setting of an ensemble member; give it inside memberSettings`
      : `${path}: ${name}: not a setting`,
  );
  throw new UsageError(`Invalid configuration: ${problems.join('; ')}`);
}

/**
 * The two keys a stored run's configuration adds to its settings (`neurolip show-run`), so that it can
 * be given back as a --config file: `ttca`, which the variant decides, is dropped, and `protocol` must
 * be the protocol this command uses.
 */
function withoutRunRecord(fromFile: Record<string, unknown>, path: string, protocol: Protocol): Record<string, unknown> {
  const { ttca, protocol: stored, ...settings } = fromFile;
  const problems = [
    ttca !== undefined && typeof ttca !== 'boolean' ? `${path}: ttca: a stored run's record (true or false), decided by the variant` : null,
    stored !== undefined && stored !== protocol
      ? `${path}: protocol: ${JSON.stringify(stored)} here, but this command's --protocol is ${protocol} (give --protocol ${String(stored)} or delete the key)`
      : null,
  ].filter((problem): problem is string => problem !== null);
  if (problems.length > 0) throw new UsageError(`Invalid configuration: ${problems.join('; ')}`);
  return settings;
}

/** The validated configuration: the config file's fields, then the flags that were given, for one variant. */
export function configFromFlags(values: ConfigFlags, variant: Variant, protocol: Protocol): TrainConfig {
  const sensitive = values.sensitive?.split(',').map((name) => {
    if (name.trim() === '') throw new UsageError('--sensitive takes comma-separated column names, e.g. sex,age,site,HANDEDNESS_CATEGORY.');
    return SENSITIVE_ALIASES[name.trim()] ?? name.trim();
  });
  const flags = {
    variant,
    epochs: number('--epochs', values.epochs),
    patience: number('--patience', values.patience),
    seed: number('--seed', values.seed),
    d: number('--d', values.d),
    layers: number('--layers', values.layers),
    batchSize: number('--batch-size', values['batch-size']),
    sensitive,
    patientGroups: values.patients?.split(',').map((label) => label.trim()),
  };
  const fromFile = values.config ? withoutRunRecord(readConfigFile(values.config), values.config, protocol) : {};
  refuseUnknownSettings(fromFile, values.config ?? '');
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined));
  const parsed = TrainConfig.safeParse({ ...fromFile, ...given });
  if (!parsed.success) {
    // Each problem names where its value came from: a flag, the --config file, or neither (a combination).
    const where = (path: PropertyKey[]): string => {
      const field = String(path[0] ?? '');
      const rest = path.slice(1).map(String);
      if (field in given && field !== 'variant') return [FLAG_OF_FIELD[field] ?? `--${field}`, ...rest].join('.');
      return `${field in fromFile ? `${values.config}: ` : ''}${path.map(String).join('.')}`;
    };
    const problems = parsed.error.issues.map((i) => `${where(i.path)}: ${i.message}`);
    throw new UsageError(`Invalid configuration: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function parseProtocol(value: string | undefined): Protocol {
  if (value !== 'kfold5' && value !== 'loso') throw new UsageError('--protocol must be kfold5 or loso.');
  return value;
}

export function parseSeeds(text: string): number[] {
  return text.split(',').map((seed) => {
    const parsed = Number(seed);
    if (!Number.isInteger(parsed) || parsed < 0) throw new UsageError(`--seeds takes non-negative integers, not "${seed}".`);
    return parsed;
  });
}

/** Selects the back end named by --backend, if one was. */
export async function applyBackendFlag(value: string | undefined): Promise<void> {
  if (value === undefined) return;
  const backend = BackendName.safeParse(value);
  if (!backend.success) throw new UsageError(`--backend must be one of ${BackendName.options.join(', ')}.`);
  await selectBackend(backend.data);
}

/** The cohort named (or numbered) on the command line, checked to carry the sensitive attributes asked for. */
export function findCohort(db: Database.Database, path: string, name: string, sensitive: string[]): number {
  const cohort = db.prepare('SELECT id FROM cohorts WHERE name = ? OR CAST(id AS TEXT) = ?').get(name, name) as { id: number } | undefined;
  if (!cohort) throw new UsageError(`No cohort "${name}" in ${path}; see neurolip cohorts.`);
  try {
    checkSensitiveAttributes(cohortSensitiveAttributes(db, cohort.id), sensitive);
  } catch (error) {
    throw new UsageError(`--sensitive: ${(error as Error).message}`);
  }
  return cohort.id;
}
