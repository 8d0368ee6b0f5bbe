import type Database from 'better-sqlite3';
import type { SensitiveAttributeOption } from '../../shared/api';

/** The attributes every import derives (sex, age group, site): always offered, whatever their number of groups. */
export const BUILT_IN_SENSITIVE = ['sex', 'ageGroup', 'site'] as const;

/** Phenotype keys that are never sensitive attributes: the target, and age (its bins are ageGroup). */
const NOT_SENSITIVE = new Set(['diagnosis', 'age']);

/** A kept column with more distinct values than this is not categorical (an id, a score, a date). */
export const MAX_SENSITIVE_GROUPS = 20;

/** Column-wise string values of every phenotype key (null where a subject has none). */
export function phenotypeColumns(phenotypes: Record<string, unknown>[]): Record<string, (string | null)[]> {
  const columns: Record<string, (string | null)[]> = Object.fromEntries(BUILT_IN_SENSITIVE.map((name) => [name, []]));
  for (const phenotype of phenotypes) for (const key of Object.keys(phenotype)) columns[key] ??= [];
  for (const [key, values] of Object.entries(columns)) {
    for (const phenotype of phenotypes) {
      const value = phenotype[key];
      values.push(value === null || value === undefined || value === '' ? null : String(value));
    }
  }
  return columns;
}

/**
 * The cohort's categorical columns that can serve as sensitive attributes: sex, age group and site,
 * and every other kept phenotype column with 2 to MAX_SENSITIVE_GROUPS distinct values.
 */
export function sensitiveAttributeOptions(columns: Record<string, (string | null)[]>): SensitiveAttributeOption[] {
  const options: SensitiveAttributeOption[] = [];
  for (const [name, values] of Object.entries(columns)) {
    if (NOT_SENSITIVE.has(name)) continue;
    const counts = new Map<string, number>();
    for (const value of values) if (value !== null) counts.set(value, (counts.get(value) ?? 0) + 1);
    const builtIn = (BUILT_IN_SENSITIVE as readonly string[]).includes(name);
    if (!builtIn && (counts.size < 2 || counts.size > MAX_SENSITIVE_GROUPS)) continue;
    options.push({
      name,
      groups: [...counts].map(([value, n]) => ({ value, n })).sort((a, b) => a.value.localeCompare(b.value)),
      missing: values.length - [...counts.values()].reduce((a, b) => a + b, 0),
    });
  }
  const rank = (name: string): number => {
    const k = (BUILT_IN_SENSITIVE as readonly string[]).indexOf(name);
    return k === -1 ? BUILT_IN_SENSITIVE.length : k;
  };
  return options.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
}

/** The sensitive attributes a cohort offers, read from its subjects' phenotypes. */
export function cohortSensitiveAttributes(db: Database.Database, cohortId: number): SensitiveAttributeOption[] {
  const rows = db.prepare('SELECT phenotype FROM subjects WHERE cohort_id = ? ORDER BY external_id').all(cohortId) as {
    phenotype: string;
  }[];
  return sensitiveAttributeOptions(phenotypeColumns(rows.map((row) => JSON.parse(row.phenotype) as Record<string, unknown>)));
}

/** Refuses names that are not among the cohort's sensitive attributes, listing the ones it has. */
export function checkSensitiveAttributes(options: SensitiveAttributeOption[], names: string[]): void {
  const known = new Set(options.map((option) => option.name));
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `${unknown.map((name) => `"${name}"`).join(', ')} ${unknown.length === 1 ? 'is not a' : 'are not'} categorical phenotype column${unknown.length === 1 ? '' : 's'} of this cohort (2 to ${MAX_SENSITIVE_GROUPS} groups). Its sensitive attributes: ${options.map((option) => option.name).join(', ')}.`,
    );
  }
}
