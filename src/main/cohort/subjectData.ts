import { fisherZConnectivity, type Connectivity } from './connectivity';
import { ImportError } from './importError';
import { readConnectivityMatrix, type MatrixKind } from './readers/connectivityMatrix';
import { readSource, ReusedBuffer } from './readers/sourceFile';
import { parseTimeSeries } from './readers/timeSeriesText';

export interface SubjectTask {
  path: string;
  kind: 'timeseries' | 'matrix';
  matrixKind: MatrixKind;
}

export interface SubjectData extends Connectivity {
  path: string;
  sizeBytes: number;
  sha256: string;
  /** ROI column names (time series only; matrices have none). */
  columns: string[] | null;
  timePoints: number | null;
  /** T x R float32 time series, when the file had them. */
  series: Float32Array | null;
}

/** This thread's buffer for time-series files: everything parsed from them is copied out of it. */
const timeSeriesBuffer = new ReusedBuffer();

/** Reads one subject's file and computes its connectivity. Runs in a worker thread or inline. */
export function readSubjectData(task: SubjectTask): SubjectData {
  if (task.kind === 'matrix') {
    // Matrix readers may return views of the file's bytes, so each file gets its own buffer.
    const source = readSource(task.path);
    const fc = readConnectivityMatrix(source, task.matrixKind);
    return { ...fc, path: task.path, sizeBytes: source.sizeBytes, sha256: source.sha256, columns: null, timePoints: null, series: null };
  }
  const source = readSource(task.path, timeSeriesBuffer);
  // The values may be scratch memory: the connectivity and the float32 series below copy them.
  const series = parseTimeSeries(source, true);
  const fc = fisherZConnectivity(series.values, series.timePoints, series.columns.length);
  return {
    ...fc,
    path: task.path,
    sizeBytes: source.sizeBytes,
    sha256: source.sha256,
    columns: series.columns,
    timePoints: series.timePoints,
    series: new Float32Array(series.values),
  };
}

/** An ImportError as plain data, to cross a worker boundary. */
export interface SerialisedImportError {
  file: string;
  line?: number;
  column?: string;
  detail: string;
}

export function serialiseError(error: unknown): SerialisedImportError | { message: string } {
  if (error instanceof ImportError) return { file: error.file, line: error.line, column: error.column, detail: error.detail };
  return { message: error instanceof Error ? error.message : String(error) };
}

export function deserialiseError(data: SerialisedImportError | { message: string }): Error {
  return 'detail' in data
    ? new ImportError({ file: data.file, line: data.line, column: data.column }, data.detail)
    : new Error(data.message);
}
