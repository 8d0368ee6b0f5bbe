import { fisherZConnectivity } from './connectivity';
import { ImportError } from './importError';
import { readConnectivityMatrix, type MatrixKind } from './readers/connectivityMatrix';
import { readSource, ReusedBuffer } from './readers/sourceFile';
import { parseTimeSeries } from './readers/timeSeriesText';
import { Float32Scratch, type SpooledArray, type SpoolWriter } from './subjectSpool';

export interface SubjectTask {
  path: string;
  kind: 'timeseries' | 'matrix';
  matrixKind: MatrixKind;
}

/** Tells tasks apart: the same file read the same way is the same task (the matrix kind matters to matrices only). */
export function taskKey(task: SubjectTask): string {
  return `${task.kind === 'matrix' ? `matrix ${task.matrixKind}` : 'timeseries'} ${task.path}`;
}

/** One subject's file, read: its connectivity and series wait in the import's spool. */
export interface SubjectData {
  path: string;
  sizeBytes: number;
  sha256: string;
  rois: number;
  /** R x R float32, row-major: atanh(clip(r, -0.999, 0.999)), diagonal 0, masked ROIs' rows and columns 0. */
  matrix: SpooledArray;
  /** 1 where the ROI's time series was constant (or empty), so its correlations are undefined. */
  missing: Uint8Array;
  /** ROI column names (time series only; matrices have none). */
  columns: string[] | null;
  timePoints: number | null;
  /** T x R float32 time series, when the file had them. */
  series: SpooledArray | null;
}

/** This thread's buffer for time-series files: everything parsed from them is copied out of it. */
const timeSeriesBuffer = new ReusedBuffer();
/** This thread's float32 copy of a series, on its way to the spool. */
const seriesScratch = new Float32Scratch();

/** Reads one subject's file, computes its connectivity, and spools both. Runs in a worker thread or inline. */
export function readSubjectData(task: SubjectTask, spool: SpoolWriter): SubjectData {
  if (task.kind === 'matrix') {
    // Matrix readers may return views of the file's bytes, so each file gets its own buffer.
    const source = readSource(task.path);
    const fc = readConnectivityMatrix(source, task.matrixKind);
    return {
      path: task.path,
      sizeBytes: source.sizeBytes,
      sha256: source.sha256,
      rois: fc.rois,
      matrix: spool.append(fc.matrix),
      missing: fc.missing,
      columns: null,
      timePoints: null,
      series: null,
    };
  }
  const source = readSource(task.path, timeSeriesBuffer);
  // The values and the matrix are scratch memory, copied into the spool before the next file.
  const series = parseTimeSeries(source, true);
  const fc = fisherZConnectivity(series.values, series.timePoints, series.columns.length, true);
  const values = seriesScratch.view(series.values.length);
  values.set(series.values);
  return {
    path: task.path,
    sizeBytes: source.sizeBytes,
    sha256: source.sha256,
    rois: fc.rois,
    matrix: spool.append(fc.matrix),
    missing: fc.missing,
    columns: series.columns,
    timePoints: series.timePoints,
    series: spool.append(values),
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
