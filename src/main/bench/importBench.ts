import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCohort } from '../cohort/importCohort';
import { buildImportRequest } from '../cohort/planImport';
import { ProjectStore } from '../store/projectStore';
import { SeededRandom } from '../synth/random';

export interface ImportBenchOptions {
  /** Folder holding the shared data (abide-pcp-sample/...). */
  sharedData: string;
  python: string;
  syntheticSubjects: number;
}

interface Measured {
  subjects: number;
  megabytes: number;
  seconds: number;
  peakMemoryMb: number | null;
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

async function measureOurs(phenotype: string, folder: string): Promise<Measured> {
  const projectDir = mkdtempSync(join(tmpdir(), 'neurolip-bench-project-'));
  const store = ProjectStore.open(join(projectDir, 'bench.neurolip'));
  try {
    const started = performance.now();
    const summary = await importCohort(store, buildImportRequest(phenotype, folder, { name: 'bench', atlas: null }));
    const seconds = (performance.now() - started) / 1000;
    return { subjects: summary.subjects, megabytes: folderMegabytes(folder), seconds, peakMemoryMb: process.resourceUsage().maxRSS / 1024 };
  } finally {
    store.close();
    rmSync(projectDir, { recursive: true, force: true });
  }
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

function measureNumpy(python: string, folder: string): (Measured & { numpy: string }) | string {
  const script = join(tmpdir(), 'neurolip-bench-numpy.py');
  writeFileSync(script, NUMPY_REFERENCE);
  try {
    const output = execFileSync(python, [script, folder], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const result = JSON.parse(output.trim().split('\n').at(-1)!) as {
      subjects: number;
      seconds: number;
      peakMemoryMb: number;
      numpy: string;
    };
    return { ...result, megabytes: folderMegabytes(folder) };
  } catch (error) {
    return `reference not run (${python} with numpy: ${(error as Error).message.split('\n')[0]})`;
  }
}

function row(name: string, m: Measured): string {
  const perSecond = (m.subjects / m.seconds).toFixed(1);
  const mbPerSecond = (m.megabytes / m.seconds).toFixed(1);
  const memory = m.peakMemoryMb === null ? '–' : m.peakMemoryMb.toFixed(0);
  return `| ${name} | ${m.subjects} | ${m.seconds.toFixed(2)} | ${perSecond} | ${mbPerSecond} | ${memory} |`;
}

/** `neurolip bench import`: our importer against numpy.loadtxt + numpy.corrcoef on the same files, in one run. */
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
  const lines: string[] = [];
  for (const dataset of datasets) {
    if (!existsSync(dataset.folder)) {
      lines.push(`${dataset.name}: skipped, ${dataset.folder} is missing`);
      continue;
    }
    const ours = await measureOurs(dataset.phenotype, dataset.folder);
    const numpy = measureNumpy(options.python, dataset.folder);
    lines.push(
      `### ${dataset.name}`,
      '',
      '| importer | subjects | seconds | subjects/s | MB/s | peak RSS MB |',
      '| --- | --- | --- | --- | --- | --- |',
    );
    lines.push(row('NeuroLIP Studio (parse, connectivity, QC, SQLite write)', ours));
    if (typeof numpy === 'string') lines.push('', numpy);
    else {
      lines.push(row(`numpy ${numpy.numpy} loadtxt + corrcoef (parse, connectivity)`, numpy));
      lines.push(
        '',
        `Speed ratio (numpy seconds / ours): ${(numpy.seconds / ours.seconds).toFixed(2)}x. Peak RSS is per process; ours includes the app and its worker threads.`,
      );
    }
    lines.push('');
  }
  return lines.join('\n');
}
