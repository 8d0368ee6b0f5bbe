import { basename } from 'node:path';
import { ImportMapping, ImportRequest, type ImportLayout, type ImportProposal, type QcOptions } from '../../shared/api';
import { ImportError } from './importError';
import { proposeImport, summariseColumns } from './proposeMapping';
import { parsePhenotypeTable } from './readers/phenotypeTable';
import { readSource } from './readers/sourceFile';

/** Looks at a phenotype table and a data folder, and proposes how to import them, with each column's values for review. */
export function detectImport(phenotypePath: string, dataPath: string): ImportProposal {
  const table = parsePhenotypeTable(readSource(phenotypePath));
  return { ...proposeImport(table, dataPath), columns: summariseColumns(table) };
}

export interface ImportOverrides {
  name?: string;
  layout?: ImportLayout;
  atlas?: string | null;
  /** Replaces top-level keys of the proposed mapping (e.g. just `diagnosis`). */
  mapping?: Record<string, unknown>;
  mappingFile?: string;
  qc?: Partial<QcOptions>;
  matrixKind?: ImportRequest['matrixKind'];
}

/** The proposal, with the user's overrides applied and validated: a complete import request. */
export function buildImportRequest(phenotypePath: string, dataPath: string, overrides: ImportOverrides): ImportRequest {
  const detected = proposeImport(parsePhenotypeTable(readSource(phenotypePath)), dataPath);
  const proposal = overrides.layout ? { ...detected, layout: overrides.layout } : detected;
  let fromFile: Record<string, unknown> = {};
  if (overrides.mappingFile) {
    const source = readSource(overrides.mappingFile);
    try {
      fromFile = JSON.parse(source.content.toString('utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ImportError({ file: overrides.mappingFile }, `not valid JSON (${(error as Error).message})`);
    }
  }
  const mapping = ImportMapping.safeParse({ ...proposal.mapping, ...fromFile, ...overrides.mapping });
  if (!mapping.success) {
    const issues = mapping.error.issues.map((issue) => `${issue.path.join('.') || 'mapping'}: ${issue.message}`).join('; ');
    throw new ImportError({ file: overrides.mappingFile ?? 'mapping' }, issues);
  }
  const request = ImportRequest.safeParse({
    phenotypePath,
    dataPath,
    name: overrides.name ?? proposal.suggestedName,
    layout: proposal.layout,
    atlas: overrides.atlas === undefined ? proposal.atlas : overrides.atlas,
    mapping: mapping.data,
    qc: { ...proposal.qc, ...overrides.qc },
    matrixKind: overrides.matrixKind ?? 'auto',
  });
  if (!request.success) {
    throw new ImportError(
      { file: basename(dataPath) },
      request.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
    );
  }
  return request.data;
}
