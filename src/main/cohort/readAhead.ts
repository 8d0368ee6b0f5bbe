import type { MatrixKind } from './readers/connectivityMatrix';
import { isMatrixOnlyFile, listDataFiles } from './dataFiles';
import type { SubjectPool } from './subjectPool';

/**
 * Starts reading a folder's data files in the pool's workers before the layout is detected: as
 * time series, or as matrices where every file is .npy or .mat (which only the matrix layout
 * takes). The import then takes the files it wants from the pool; one read the wrong way (text
 * matrices) is read again, and one it does not want (no phenotype row, another naming) is
 * dropped, error and all. A folder that cannot be listed is left for the import to report.
 */
export function readAhead(pool: SubjectPool, phenotypePath: string, dataPath: string, matrixKind: MatrixKind = 'auto'): void {
  let files: string[];
  try {
    files = listDataFiles(dataPath, [phenotypePath]);
  } catch {
    return;
  }
  const kind = files.length > 0 && files.every(isMatrixOnlyFile) ? 'matrix' : 'timeseries';
  pool.readAhead(files.map((path) => ({ path, kind, matrixKind })));
}
