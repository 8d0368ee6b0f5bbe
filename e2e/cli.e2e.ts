import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LATEST_SCHEMA_VERSION } from '../src/main/store/migrations';
import { ABIDE } from '../src/test-support/sharedData';
import { spawn } from 'node:child_process';
import { REPO_ROOT, runCli, startServing } from './support/cli';

const tempProject = (name = 'cli.neurolip'): string => join(mkdtempSync(join(tmpdir(), 'neurolip-cli-')), name);

describe('neurolip CLI', () => {
  it('info --json gives versions, schema, back end and project path', () => {
    const project = tempProject();
    const result = runCli(['info', '--project', project, '--json']);
    expect(result.code, result.stderr).toBe(0);
    const info = JSON.parse(result.stdout) as Record<string, unknown> & { backend: { name: string; attempts: unknown[] } };
    expect(info).toMatchObject({
      appVersion: '0.1.0',
      schemaVersion: LATEST_SCHEMA_VERSION,
      projectSchemaVersion: LATEST_SCHEMA_VERSION,
      projectPath: project,
      shell: 'cli',
    });
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(info.backend.name);
    expect(info.backend.attempts.length).toBeGreaterThan(0);
  });

  it('info prints a readable summary', () => {
    const result = runCli(['info', '--project', tempProject()]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^NeuroLIP Studio 0\.1\.0\nProject: /);
    expect(result.stdout).toMatch(/Back end: (tensorflow-gpu|tensorflow|wasm|cpu), /);
  });

  it('refuses a file that is not a project, leaves it as it was, and exits 2', () => {
    const path = tempProject('phenotype.csv');
    writeFileSync(path, 'SUB_ID,DX_GROUP\n50001,1\n');
    const result = runCli(['info', '--project', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${path} is not a NeuroLIP project`);
    expect(readFileSync(path, 'utf8')).toBe('SUB_ID,DX_GROUP\n50001,1\n');
  });

  it('rejects unknown commands and options with usage', () => {
    expect(runCli(['frobnicate']).stderr).toMatch(/Unknown command "frobnicate"/);
    const bad = runCli(['serve', '--prot', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/neurolip serve: Unknown option '--prot'/);
    expect(runCli(['serve', '--port', 'abc']).stderr).toMatch(/--port must be an integer/);
  });

  it('serve prints the URL line with a token', async () => {
    const served = await startServing('serve', ['--project', tempProject()]);
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
    } finally {
      await served.stop();
    }
  });

  it('start falls back to the local server here, and says why in one line', async () => {
    const served = await startServing('start', ['--project', tempProject()], { DISPLAY: '' });
    try {
      const lines = served.output.trim().split('\n');
      expect(lines[0]).toMatch(
        /^No desktop window: (the Electron binary is not installed|there is no display).*\. Serving the same UI in your browser instead\.$/,
      );
      expect(lines[1]).toMatch(/^NeuroLIP Studio at http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    } finally {
      await served.stop();
    }
  });

  it('serve warns when bound beyond loopback', async () => {
    const served = await startServing('serve', ['--project', tempProject(), '--host', '0.0.0.0']);
    try {
      expect(served.output).toMatch(/Warning: listening on 0\.0\.0\.0/);
    } finally {
      await served.stop();
    }
  });
});

describe('neurolip import, demo and cohorts', () => {
  it('imports the real sample and prints JSON with exclusions and warnings', () => {
    const project = tempProject();
    const result = runCli([
      'import',
      '--project',
      project,
      '--name',
      'cc200',
      '--phenotype',
      ABIDE.phenotype,
      '--timeseries',
      ABIDE.cc200,
      '--atlas',
      ABIDE.cc200Labels,
      '--max-fd',
      '0.2',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout) as {
      cohort: string;
      subjects: number;
      rois: number;
      excluded: { reason: string }[];
      warnings: string[];
    };
    expect(summary).toMatchObject({ cohort: 'cc200', subjects: 93, rois: 200 });
    expect(summary.excluded.filter((e) => e.reason.startsWith('mean FD'))).toHaveLength(6);
    const listed = JSON.parse(runCli(['cohorts', '--project', project, '--json']).stdout) as { name: string; subjects: number }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'cc200', subjects: 93 })]);
  });

  it('takes a mapping file, and refuses an unknown code with exit 2 and the place', () => {
    const project = tempProject();
    const mapping = join(mkdtempSync(join(tmpdir(), 'neurolip-map-')), 'mapping.json');
    writeFileSync(mapping, JSON.stringify({ diagnosis: { column: 'DX_GROUP', codes: { '1': 'ASD' }, control: 'ASD' } }));
    const result = runCli(['import', '--project', project, '--phenotype', ABIDE.phenotype, '--timeseries', ABIDE.ho, '--mapping', mapping]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^Phenotypic_V1_0b_preprocessed1\.csv, line \d+, column DX_GROUP: unknown diagnosis code "2"; known codes: 1 \(ASD\)/,
    );
    expect(JSON.parse(runCli(['cohorts', '--project', project, '--json']).stdout)).toEqual([]);
  });

  it('demo generates and imports the synthetic cohort, then reuses it', () => {
    const project = tempProject();
    const first = runCli(['demo', '--project', project, '--subjects', '60', '--json']);
    expect(first.code, first.stderr).toBe(0);
    const demo = JSON.parse(first.stdout) as {
      cohort: string;
      reused: boolean;
      summary: { subjects: number; rois: number };
      truth: { pDx: number[] };
    };
    expect(demo).toMatchObject({ cohort: 'Demo (synthetic, seed 0, 60 subjects)', reused: false, summary: { subjects: 60, rois: 116 } });
    expect(demo.truth.pDx).toHaveLength(12);
    expect(JSON.parse(runCli(['demo', '--project', project, '--subjects', '60', '--json']).stdout)).toMatchObject({ reused: true });
  });
});

describe('neurolip train, runs and show-run', () => {
  it('trains folds in trainer processes and stores the run', () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '60', '--json']).code).toBe(0);
    const trained = runCli([
      'train',
      '--project',
      project,
      '--cohort',
      'Demo (synthetic, seed 0, 60 subjects)',
      '--variant',
      'neurolip-v1',
      '--epochs',
      '2',
      '--d',
      '8',
      '--json',
    ]);
    expect(trained.code, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout) as {
      run: number;
      variant: string;
      protocol: string;
      backend: string;
      subjects: number;
      metrics: Record<string, { value: number; ciLow: number; ciHigh: number }>;
      fairness: Record<string, unknown>;
      folds: unknown[];
      recovery: unknown;
    };
    expect(result).toMatchObject({ run: 1, variant: 'neurolip-v1', protocol: 'kfold5', subjects: 60 });
    expect(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu']).toContain(result.backend);
    expect(Object.keys(result.metrics).sort()).toEqual(['acc', 'auc', 'balancedAcc', 'f1', 'sensitivity', 'specificity']);
    expect(result.folds).toHaveLength(5);
    expect(result.recovery).toBeDefined();
    const runs = JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { id: number; status: string }[];
    expect(runs).toEqual([expect.objectContaining({ id: 1, status: 'done' })]);
    const shown = JSON.parse(runCli(['show-run', '--project', project, '--run', '1']).stdout) as { result: { metrics: unknown } };
    expect(shown.result.metrics).toEqual(result.metrics);
  });

  it('refuses an invalid configuration with the field', () => {
    const result = runCli(['train', '--project', tempProject(), '--cohort', 'x', '--epochs', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Invalid configuration: --epochs: Too small/);
  });

  it('refuses time windows for a cohort without time series, naming the cohort, and stores no run', () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '60', '--json']).code).toBe(0);
    const db = new Database(project);
    db.prepare('DELETE FROM timeseries').run();
    db.close();
    const config = join(mkdtempSync(join(tmpdir(), 'neurolip-config-')), 'windows.json');
    writeFileSync(config, JSON.stringify({ timeWindow: 0.7 }));
    const result = runCli(['train', '--project', project, '--cohort', '1', '--config', config, '--epochs', '1']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^Cohort "Demo \(synthetic, seed 0, 60 subjects\)" has no ROI time series .* Set the time window to 1 \(the whole scan\)\.\n$/,
    );
    expect(JSON.parse(runCli(['runs', '--project', project, '--json']).stdout)).toEqual([]);
  });

  it('takes any categorical phenotype column as --sensitive, and names the valid ones for a wrong name', () => {
    const project = tempProject();
    expect(runCli(['import', '--project', project, '--name', 'ho', '--phenotype', ABIDE.phenotype, '--timeseries', ABIDE.ho]).code).toBe(0);
    const base = ['train', '--project', project, '--cohort', 'ho', '--variant', 'neurolip-v1', '--epochs', '1', '--d', '8', '--json'];
    const wrong = runCli([...base, '--sensitive', 'sex,HANDEDNESS']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(
      /^--sensitive: "HANDEDNESS" is not a categorical phenotype column of this cohort \(2 to 20 groups\)\. Its sensitive attributes: sex, ageGroup, site, .*HANDEDNESS_CATEGORY/,
    );
    expect(JSON.parse(runCli(['runs', '--project', project, '--json']).stdout)).toEqual([]);
    const trained = runCli([...base, '--sensitive', 'sex,age,HANDEDNESS_CATEGORY']);
    expect(trained.code, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout) as { fairness: Record<string, { groups: { group: string }[] }> };
    expect(Object.keys(result.fairness)).toEqual(['sex', 'ageGroup', 'HANDEDNESS_CATEGORY']);
    expect(result.fairness.HANDEDNESS_CATEGORY!.groups.map((g) => g.group)).toContain('R');
  }, 180_000);
});

describe('a training run killed mid-way', () => {
  /** Starts the CLI, waits until it has stored its run number `runs` and trained a while, then kills it without warning. */
  async function killMidRun(project: string, args: string[], runs: number): Promise<void> {
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'neurolip.mjs'), ...args], { stdio: 'ignore' });
    const stored = (): number => (JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as unknown[]).length;
    await expect.poll(stored, { timeout: 60_000, interval: 200 }).toBe(runs);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));
  }

  it('is marked interrupted, and resumes to the same numbers as a run that was not killed', async () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '60', '--json']).code).toBe(0);
    const args = ['--project', project, '--cohort', '1', '--variant', 'neurolip', '--epochs', '4', '--d', '8', '--json'];
    const reference = JSON.parse(runCli(['train', ...args]).stdout) as { metrics: unknown; folds: { auc: number }[] };

    await killMidRun(project, ['train', ...args], 2);

    const runs = JSON.parse(runCli(['runs', '--project', project, '--json']).stdout) as { id: number; status: string }[];
    expect(runs[1]).toMatchObject({ id: 2, status: 'interrupted' });
    const resumed = runCli(['train', '--project', project, '--resume', '2', '--json']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const result = JSON.parse(resumed.stdout) as { run: number; metrics: unknown; folds: { auc: number }[] };
    expect(result.run).toBe(2);
    expect(result.folds.map((f) => f.auc)).toEqual(reference.folds.map((f) => f.auc));
    expect(result.metrics).toEqual(reference.metrics);
  });

  it('is resumed by the comparison that was killed, when it is run again, to the numbers of one never killed', async () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '60', '--json']).code).toBe(0);
    const args = [
      'compare',
      '--project',
      project,
      '--cohort',
      '1',
      '--variants',
      'neurolip',
      '--seeds',
      '0',
      '--epochs',
      '4',
      '--d',
      '8',
      '--json',
    ];
    await killMidRun(project, args, 1);

    const again = runCli(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/^\[1\/1\] neurolip, seed 0: resuming interrupted run 1 \([0-5] folds done\)$/m);
    type Compared = { runs: { runId: number; epochSeconds: number }[] };
    const resumed = (JSON.parse(again.stdout) as Compared).runs;
    expect(resumed.map((run) => run.runId)).toEqual([1]);
    const fresh = (JSON.parse(runCli([...args, '--fresh']).stdout) as Compared).runs;
    expect(fresh.map((run) => run.runId)).toEqual([2]);
    const figures = ({ runId: _runId, epochSeconds: _seconds, ...rest }: Compared['runs'][number]) => rest;
    expect(figures(resumed[0]!)).toEqual(figures(fresh[0]!));
  });
});

describe('repeated seeds and the back-end override', () => {
  it('trains one run per seed on the chosen back end and reports the spread', () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '40', '--json']).code).toBe(0);
    const result = runCli([
      'train',
      '--project',
      project,
      '--cohort',
      '1',
      '--variant',
      'neurolip-nofair',
      '--epochs',
      '1',
      '--d',
      '8',
      '--seeds',
      '0,1',
      '--backend',
      'cpu',
      '--json',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as {
      seeds: number[];
      runs: { run: number; backend: string }[];
      acrossSeeds: { auc: { mean: number; sd: number } };
    };
    expect(parsed.seeds).toEqual([0, 1]);
    expect(parsed.runs.map((r) => [r.run, r.backend])).toEqual([
      [1, 'cpu'],
      [2, 'cpu'],
    ]);
    expect(Number.isFinite(parsed.acrossSeeds.auc.mean)).toBe(true);
    expect(runCli(['train', '--project', project, '--cohort', '1', '--backend', 'gpu']).stderr).toMatch(
      /--backend must be one of tensorflow-gpu, tensorflow, wasm, cpu/,
    );
  });
});
