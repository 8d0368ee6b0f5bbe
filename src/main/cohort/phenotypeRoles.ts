import type { ImportMapping } from '../../shared/api';
import { ImportError } from './importError';
import { cellOf, type PhenotypeRow, type PhenotypeTable } from './readers/phenotypeTable';

export interface SubjectRoles {
  diagnosis: string | null;
  sex: string | null;
  age: number | null;
  site: string | null;
  meanFd: number | null;
  kept: Record<string, string | null>;
}

/** The columns the mapping gives a role (subject id, diagnosis, sex, age, site, mean FD). */
export function roleColumns(mapping: ImportMapping): string[] {
  return [
    mapping.subjectId,
    mapping.diagnosis.column,
    mapping.sex?.column,
    mapping.age?.column,
    mapping.site?.column,
    mapping.meanFd?.column,
  ].filter((column): column is string => column !== undefined);
}

/** Checks that every column the mapping names exists in the table. */
export function checkMappingColumns(table: PhenotypeTable, mapping: ImportMapping): void {
  const named = [...roleColumns(mapping), ...mapping.keepColumns];
  for (const column of named) {
    if (!table.columns.includes(column)) {
      throw new ImportError(
        { file: table.path, line: 1, column },
        `no such column in the header (columns: ${table.columns.slice(0, 12).join(', ')}${table.columns.length > 12 ? ', ...' : ''})`,
      );
    }
  }
}

/** Reads a subject's roles from its phenotype row, refusing codes the mapping does not know. */
export function readRoles(table: PhenotypeTable, row: PhenotypeRow, mapping: ImportMapping): SubjectRoles {
  const missing = new Set(['', ...mapping.missingValues]);
  const cell = (column: string): string | null => {
    const value = cellOf(table, row, column);
    return missing.has(value) ? null : value;
  };
  const coded = (column: string, codes: Record<string, string>, what: string): string | null => {
    const raw = cell(column);
    if (raw === null) return null;
    const label = codes[raw];
    if (label === undefined) {
      const known = Object.entries(codes)
        .map(([code, name]) => `${code} (${name})`)
        .join(', ');
      throw new ImportError(
        { file: table.path, line: row.line, column },
        `unknown ${what} code "${raw}"; known codes: ${known}. Add it to the mapping or mark it missing.`,
      );
    }
    return label;
  };
  const numeric = (column: string): number | null => {
    const raw = cell(column);
    if (raw === null) return null;
    const value = Number(raw);
    if (!Number.isFinite(value)) throw new ImportError({ file: table.path, line: row.line, column }, `"${raw}" is not a number`);
    return value;
  };
  const siteRaw = mapping.site ? cell(mapping.site.column) : null;
  const site = mapping.site?.codes && siteRaw !== null ? coded(mapping.site.column, mapping.site.codes, 'site') : siteRaw;
  return {
    diagnosis: coded(mapping.diagnosis.column, mapping.diagnosis.codes, 'diagnosis'),
    sex: mapping.sex ? coded(mapping.sex.column, mapping.sex.codes, 'sex') : null,
    age: mapping.age ? numeric(mapping.age.column) : null,
    site,
    meanFd: mapping.meanFd ? numeric(mapping.meanFd.column) : null,
    kept: Object.fromEntries(mapping.keepColumns.map((column) => [column, cell(column)])),
  };
}
