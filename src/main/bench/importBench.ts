import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntry } from '../builtEntry';
import { importCohort } from '../cohort/importCohort';
import { buildImportRequest } from '../cohort/planImport';
import { readAhead } from '../cohort/readAhead';
import type { SubjectPool } from '../cohort/subjectPool';
import { ProjectStore } from '../store/projectStore';
import { SeededRandom } from '../synth/random';

export interface ImportBenchOptions {
  /** Folder holding the shared data (abide-pcp-sample/...). */
  sharedData: string;
  python: string;
  syntheticSubjects: number;
  /** Rounds of ours then numpy, alternating. */
  rounds: number;
}

/** One import in a fresh process, timed inside it (as numpy's loop is timed inside Python). */
export interface ImportRound {
  subjects: number;
  /** The whole import, as the CLI runs it: the files handed to the workers (already started) to read ahead, layout detected and mapping proposed, every file read, connectivity, QC, the SQLite transaction committed, the workers let go. */
  seconds: number;
  /** Not counted above: how long before the timer the worker threads were started, while the import's modules loaded. */
  workersStartedSeconds: number;
  /** Of which: detecting the layout and proposing the mapping (`buildImportRequest`). */
  detectSeconds: number;
  /** Of which: reading, parsing and connectivity (numpy's loop does this part), from the files handed out to the workers (read ahead, so this overlaps the detection) to the last one done. */
  computeSeconds: number;
  /** Not counted above: SQLite's checkpoint of the WAL into the project file, on another thread after the import returned. */
  checkpointSeconds: number | null;
  /** Not counted above: closing the project. */
  closeSeconds: number;
  peakMemoryMb: number;
}

/** A round of ours as the bench saw it. */
interface OursRound extends ImportRound {
  /** The whole process, as its parent saw it: start-up, loading modules, the import, the checkpoint, exit. */
  processSeconds: number;
}

interface NumpyRound {
  subjects: number;
  seconds: number;
  peakMemoryMb: number;
  numpy: string;
  /** The whole process, as its parent saw it: start-up, importing numpy, the loop, exit. */
  processSeconds: number;
}

/** A PCP-layout folder of random CC200-shaped time series, made once and reused. */
function syntheticFolder(subjects: number, rois: number, timePoints: number): string {
  const folder = join(tmpdir(), `neurolip-bench-pcp-${subjects}x${rois}x${timePoints}`);
  if (existsSync(join(folder, 'phenotype.csv'))) return folder;
  mkdirSync(folder, { recursive: true });
  const random = new SeededRandom(42);
  const header = Array.from({ length: rois }, (_, r) => `#${r + 1}`).join('\t');
  const phenotype = ['FILE_ID,SUB_ID,SITE_ID,DX_GROUP,SEX,AGE_AT_SCAN,func_mean_fd'];
  for (let i = 0; i < subjects; i += 1) {
    const id = `BENCH_${String(i).padStart(5, '0')}`;
    const rows = [header];
    for (let t = 0; t < timePoints; t += 1) rows.push(Array.from({ length: rois }, () => random.normal().toFixed(6)).join('\t'));
    writeFileSync(join(folder, `${id}_rois_cc200.1D`), `${rows.join('\n')}\n`);
    phenotype.push(`${id},${i},BENCH,${1 + (i % 2)},${1 + (i % 3 === 0 ? 1 : 0)},20,0.1`);
  }
  writeFileSync(join(folder, 'phenotype.csv'), `${phenotype.join('\n')}\n`);
  return folder;
}

function folderMegabytes(folder: string): number {
  return (
    readdirSync(folder)
      .filter((name) => /\.1D(\.gz)?$/.test(name))
      .reduce((sum, name) => sum + statSync(join(folder, name)).size, 0) / 1e6
  );
}

/**
 * `neurolip bench import-once`: one import into a new project, as `neurolip import` runs it: the
 * worker threads were started (`pool`) before the import's modules loaded, as numpy's threads start
 * when it is imported; the timer starts as the files are handed to them to read ahead, while the
 * layout is detected and the mapping proposed; then the import.
 * Opening the new project is not counted; the checkpoint that follows on another thread, and closing
 * the project, are measured apart.
 */
export async function measureImportOnce(phenotype: string, folder: string, pool: SubjectPool, poolStarted: number): Promise<ImportRound> {
  const projectDir = mkdtempSync(join(tmpdir(), 'neurolip-bench-project-'));
  const store = ProjectStore.open(join(projectDir, 'bench.neurolip'));
  try {
    const started = performance.now();
    let detected = started;
    let readingEnded = started;
    let subjects: number;
    try {
      readAhead(pool, phenotype, folder);
      const request = buildImportRequest(phenotype, folder, { name: 'bench', atlas: null });
      detected = performance.now();
      const summary = await importCohort(store, request, {
        pool,
        progress: (_fraction, message) => {
          const read = /^Read (\d+) of (\d+) subjects$/.exec(message);
          if (read && read[1] === read[2]) readingEnded = performance.now();
        },
      });
      subjects = summary.subjects;
    } finally {
      await pool.close();
    }
    const seconds = (performance.now() - started) / 1000;
    const checkpoint = await store.lastCheckpoint();
    const closing = performance.now();
    store.close();
    return {
      subjects,
      seconds,
      workersStartedSeconds: (started - poolStarted) / 1000,
      detectSeconds: (detected - started) / 1000,
      computeSeconds: (readingEnded - started) / 1000,
      checkpointSeconds: checkpoint && 'seconds' in checkpoint ? checkpoint.seconds : null,
      closeSeconds: (performance.now() - closing) / 1000,
      peakMemoryMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    store.close();
    rmSync(projectDir, { recursive: true, force: true });
  }
}

/** One import in a fresh Node process running the built CLI, so that each round starts as cold as the user's would. */
function measureOursInFreshProcess(cli: string, phenotype: string, folder: string): OursRound {
  const spawned = performance.now();
  const output = execFileSync(process.execPath, [cli, 'bench', 'import-once', phenotype, folder], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const processSeconds = (performance.now() - spawned) / 1000;
  return { ...(JSON.parse(output.trim().split('\n').at(-1)!) as ImportRound), processSeconds };
}

const NUMPY_REFERENCE = `
import glob, json, os, resource, sys, time
import numpy as np
folder = sys.argv[1]
files = sorted(glob.glob(os.path.join(folder, '*_rois_*.1D')) + glob.glob(os.path.join(folder, '*_rois_*.1D.gz')))
started = time.perf_counter()
for path in files:
    a = np.loadtxt(path, skiprows=1, ndmin=2)
    with np.errstate(invalid='ignore', divide='ignore'):
        r = np.corrcoef(a.T)
    z = np.arctanh(np.clip(np.nan_to_num(r), -0.999, 0.999))
    np.fill_diagonal(z, 0)
seconds = time.perf_counter() - started
print(json.dumps({'subjects': len(files), 'seconds': seconds, 'peakMemoryMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 'numpy': np.__version__}))
`;

function measureNumpy(python: string, folder: string): NumpyRound | string {
  const script = join(tmpdir(), 'neurolip-bench-numpy.py');
  writeFileSync(script, NUMPY_REFERENCE);
  try {
    const spawned = performance.now();
    const output = execFileSync(python, [script, folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const processSeconds = (performance.now() - spawned) / 1000;
    return { ...(JSON.parse(output.trim().split('\n').at(-1)!) as Omit<NumpyRound, 'processSeconds'>), processSeconds };
  } catch (error) {
    return `reference not run (${python} with numpy: ${(error as Error).message.split('\n')[0]})`;
  }
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const s2 = (seconds: number): string => seconds.toFixed(2);
const span = (values: number[], digits = 2): string =>
  `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)} (median ${median(values).toFixed(digits)})`;

function report(name: string, megabytes: number, ours: OursRound[], numpy: NumpyRound[] | string): string[] {
  const lines = [
    `### ${name} (${megabytes.toFixed(0)} MB)`,
    '',
    'Each round: our import in a fresh process, then numpy in a fresh process; each timed inside its process, so neither start-up counts (nor loading our modules, while our worker threads start, nor importing numpy, which starts its OpenBLAS thread).',
    '',
  ];
  if (typeof numpy === 'string') {
    lines.push('| round | ours: whole import s | ours: reading, parsing, connectivity s |', '| --- | --- | --- |');
    ours.forEach((o, i) => lines.push(`| ${i + 1} | ${s2(o.seconds)} | ${s2(o.computeSeconds)} |`));
    lines.push('', numpy);
  } else {
    lines.push(
      `| round | ours: whole import s | ours: reading, parsing, connectivity s | numpy ${numpy[0]!.numpy} loadtxt + corrcoef + arctanh s | numpy s / whole import s | numpy s / reading, parsing, connectivity s |`,
      '| --- | --- | --- | --- | --- | --- |',
    );
    ours.forEach((o, i) => {
      const n = numpy[i]!.seconds;
      lines.push(
        `| ${i + 1} | ${s2(o.seconds)} | ${s2(o.computeSeconds)} | ${s2(n)} | ${(n / o.seconds).toFixed(2)}x | ${(n / o.computeSeconds).toFixed(2)}x |`,
      );
    });
    const whole = ours.map((o, i) => numpy[i]!.seconds / o.seconds);
    const compute = ours.map((o, i) => numpy[i]!.seconds / o.computeSeconds);
    lines.push(
      '',
      `The goal is judged on the whole import: numpy s / ours s ${span(whole)}x over ${ours.length} rounds (above 1 means ours is faster).`,
      `The reading, parsing and connectivity (what numpy's loop does, plus hashing each file), from the read-ahead, which overlaps the detection, to the last file: ${span(compute)}x.`,
      `numpy: ${span(numpy.map((n) => n.seconds))} s, ${(numpy[0]!.subjects / median(numpy.map((n) => n.seconds))).toFixed(1)} files/s, peak RSS ${span(
        numpy.map((n) => n.peakMemoryMb),
        0,
      )} MB; it writes nothing.`,
      `From process start to exit, as each side's parent saw it (start-up, loading modules or numpy, the work, ours the checkpoint too): ours ${span(ours.map((o) => o.processSeconds))} s, numpy ${span(numpy.map((n) => n.processSeconds))} s.`,
    );
  }
  const subjects = ours[0]!.subjects;
  const seconds = ours.map((o) => o.seconds);
  const checkpoints = ours.map((o) => o.checkpointSeconds).filter((c): c is number => c !== null);
  lines.push(
    `Ours, whole import: ${span(seconds)} s, ${(subjects / median(seconds)).toFixed(1)} subjects/s, ${(megabytes / median(seconds)).toFixed(1)} MB/s, peak RSS ${span(
      ours.map((o) => o.peakMemoryMb),
      0,
    )} MB (the process, with its worker threads).`,
    `Of which: layout detection and mapping proposal ${span(ours.map((o) => o.detectSeconds))} s, while the workers read ahead; reading, parsing and connectivity, from the read-ahead to the last file, ${span(ours.map((o) => o.computeSeconds))} s; the rest (matching rows, QC, the SQLite transaction) follows.`,
    `Not counted: the worker threads were started ${span(ours.map((o) => o.workersStartedSeconds))} s before the timer, while the import's modules loaded; ${checkpoints.length > 0 ? `SQLite's checkpoint of the WAL into the project file on another thread after the import returned, ${span(checkpoints)} s; ` : ''}closing the project ${span(ours.map((o) => o.closeSeconds))} s.`,
    '',
  );
  return lines;
}

/** `neurolip bench import`: our importer against numpy.loadtxt + numpy.corrcoef on the same files, in alternating rounds. */
export async function runImportBench(options: ImportBenchOptions): Promise<string> {
  const sample = join(options.sharedData, 'abide-pcp-sample');
  const datasets = [
    {
      name: 'ABIDE sample, 102 real CC200 files',
      phenotype: join(sample, 'Phenotypic_V1_0b_preprocessed1.csv'),
      folder: join(sample, 'rois_cc200'),
    },
  ];
  const synthetic = syntheticFolder(options.syntheticSubjects, 200, 150);
  datasets.push({
    name: `synthetic PCP folder, ${options.syntheticSubjects} x 200 ROIs x 150 time points`,
    phenotype: join(synthetic, 'phenotype.csv'),
    folder: synthetic,
  });
  const cli = builtEntry('cli.js', import.meta.url);
  if (cli === null) throw new Error('bench import runs from the built CLI (npm run bench)');
  const lines: string[] = [];
  for (const dataset of datasets) {
    if (!existsSync(dataset.folder)) {
      lines.push(`${dataset.name}: skipped, ${dataset.folder} is missing`);
      continue;
    }
    const ours: OursRound[] = [];
    const numpy: NumpyRound[] = [];
    let numpyFailure: string | null = null;
    for (let round = 0; round < options.rounds; round += 1) {
      ours.push(measureOursInFreshProcess(cli, dataset.phenotype, dataset.folder));
      const reference: NumpyRound | string = numpyFailure ?? measureNumpy(options.python, dataset.folder);
      if (typeof reference === 'string') numpyFailure = reference;
      else numpy.push(reference);
    }
    lines.push(...report(dataset.name, folderMegabytes(dataset.folder), ours, numpyFailure ?? numpy));
  }
  return lines.join('\n');
}
