import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { launchChromium } from './support/chromium';
import { REPO_ROOT, runCli, startServing } from './support/cli';

const tempProject = (name = 'project.neurolip'): string => join(mkdtempSync(join(tmpdir(), 'neurolip-reliability-')), name);
const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const walSize = (path: string): number => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);

function cohorts(project: string): { name: string; subjects: number }[] {
  const listed = runCli(['cohorts', '--project', project, '--json']);
  expect(listed.code, listed.stderr).toBe(0);
  return JSON.parse(listed.stdout) as { name: string; subjects: number }[];
}

/** Opens the file read-only, as a second program would, and asks SQLite to check all of it. */
function integrity(project: string): { check: string; orphans: number } {
  const db = new Database(project, { readonly: true });
  try {
    return {
      check: db.pragma('integrity_check', { simple: true }) as string,
      orphans: (
        db
          .prepare(
            'SELECT (SELECT count(*) FROM subjects WHERE cohort_id NOT IN (SELECT id FROM cohorts)) + (SELECT count(*) FROM connectivity WHERE subject_id NOT IN (SELECT id FROM subjects)) AS n',
          )
          .get() as { n: number }
      ).n,
    };
  } finally {
    db.close();
  }
}

describe('the app killed in the middle of an import', () => {
  it('leaves the project sound: integrity ok, no partial cohort, the earlier cohort intact; the import then succeeds', async () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '40', '--json']).code).toBe(0);
    const earlier = cohorts(project);
    // The files of a second, bigger cohort (400 subjects, about 50 MB in the project).
    const source = JSON.parse(
      runCli(['demo', '--project', tempProject('source.neurolip'), '--subjects', '400', '--seed', '1', '--json']).stdout,
    ) as {
      folder: string;
    };
    const importArgs = ['import', '--project', project, '--phenotype', join(source.folder, 'phenotype.csv'), '--timeseries', source.folder];
    const args = [...importArgs, '--atlas', 'aal116', '--name', 'second'];
    const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'neurolip.mjs'), ...args], { stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Kill it without warning once its one transaction is being written (the WAL grows past 1 MB).
    let killedAtWal = 0;
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const size = walSize(project);
        if (size > 1024 * 1024) {
          clearInterval(timer);
          killedAtWal = size;
          child.kill('SIGKILL');
          resolve();
        } else if (child.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`the import ended (exit ${child.exitCode}) before it was killed`));
        }
      }, 2);
    });
    await exited;
    expect(child.signalCode).toBe('SIGKILL');
    console.log(`import killed with ${(killedAtWal / 1024 / 1024).toFixed(1)} MB of its transaction in the WAL`);

    expect(cohorts(project)).toEqual(earlier);
    expect(integrity(project)).toEqual({ check: 'ok', orphans: 0 });

    // The killed import's lock is stale: the same import now runs to the end.
    const again = runCli([...args, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(cohorts(project).map((c) => [c.name, c.subjects])).toEqual([
      [earlier[0]!.name, 40],
      ['second', 400],
    ]);
    expect(integrity(project)).toEqual({ check: 'ok', orphans: 0 });
  });
});

describe('a second instance on the same project', () => {
  it('is refused with a message naming the holder; reading commands still work; the lock goes with the server', async () => {
    const project = tempProject();
    const served = await startServing('serve', ['--project', project]);
    try {
      const pid = served.process.pid!;
      const second = runCli(['serve', '--project', project, '--port', '0']);
      expect(second.code).toBe(2);
      expect(second.stderr).toMatch(
        new RegExp(
          `^${project} is already open in the NeuroLIP Studio local server \\(process ${pid}, since [^)]+\\)\\. Close it there first`,
        ),
      );
      const demo = runCli(['demo', '--project', project, '--subjects', '20']);
      expect(demo.code).toBe(2);
      expect(demo.stderr).toContain(`is already open in the NeuroLIP Studio local server (process ${pid}`);
      expect(cohorts(project)).toEqual([]);
    } finally {
      await served.stop();
    }
    expect(existsSync(`${project}.lock`)).toBe(false);
    expect(runCli(['demo', '--project', project, '--subjects', '20']).code).toBe(0);
  });
});

describe('a project locked on another computer', () => {
  it('is refused with how to open it anyway; --take-over-lock opens it, and the server’s own lock replaces the other', async () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '20']).code).toBe(0);
    const theirs = { pid: 4242, hostname: 'lab-pc-7', holder: 'the NeuroLIP Studio desktop app', startedAt: '2026-11-30T09:00:00.000Z' };
    writeFileSync(`${project}.lock`, JSON.stringify(theirs));
    const refused = runCli(['serve', '--project', project, '--port', '0']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      `${project} is already open in the NeuroLIP Studio desktop app (process 4242 on lab-pc-7, since 2026-11-30T09:00:00.000Z). ` +
        'Close it there first: one NeuroLIP Studio at a time may change a project. If it is no longer open on lab-pc-7',
    );
    expect(refused.stderr).toContain('the command line takes --take-over-lock.');
    expect(runCli(['demo', '--project', project, '--subjects', '20', '--seed', '3']).code).toBe(2);
    expect(JSON.parse(readFileSync(`${project}.lock`, 'utf8'))).toEqual(theirs);

    const served = await startServing('serve', ['--project', project, '--take-over-lock']);
    try {
      expect(JSON.parse(readFileSync(`${project}.lock`, 'utf8'))).toMatchObject({
        pid: served.process.pid,
        holder: 'the NeuroLIP Studio local server',
      });
      expect(cohorts(project)).toHaveLength(1);
    } finally {
      await served.stop();
    }
    expect(existsSync(`${project}.lock`)).toBe(false);
  });
});

describe('a damaged project file', () => {
  it('is refused untouched, with the way to a read-only copy, which `serve --read-only-copy` opens', async () => {
    const project = tempProject();
    expect(runCli(['demo', '--project', project, '--subjects', '20']).code).toBe(0);
    const db = new Database(project, { readonly: true });
    const page = (
      db.prepare("SELECT pageno FROM dbstat WHERE name = 'connectivity' AND pagetype = 'leaf' LIMIT 1 OFFSET 2").get() as {
        pageno: number;
      }
    ).pageno;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const bytes = readFileSync(project);
    bytes.fill(0x5a, (page - 1) * pageSize + 8, page * pageSize);
    writeFileSync(project, bytes);
    const before = sha(project);

    const refused = runCli(['info', '--project', project]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`^${project} is damaged: SQLite's check found damage`));
    expect(refused.stderr).toContain('open a read-only copy (`neurolip serve --project FILE --read-only-copy`');
    expect(runCli(['demo', '--project', project, '--subjects', '20']).code).toBe(2);
    expect(sha(project)).toBe(before);

    const served = await startServing('serve', ['--project', project, '--read-only-copy']);
    const browser = await launchChromium();
    try {
      expect(served.output).toMatch(
        new RegExp(
          `^Opened a read-only copy of the damaged ${project}: .+\\.readonly-copy-[\\dT-]+\\.neurolip\\. The original was not changed\\.\\n`,
        ),
      );
      const page = await browser.newPage();
      await page.goto(served.url);
      await expect
        .poll(() => page.getByTestId('read-only-copy').textContent())
        .toContain(`read-only copy of the damaged project ${project}`);
      expect(await page.getByTestId('count-cohorts').textContent()).toBe('1');
    } finally {
      await browser.close();
      await served.stop();
    }
    expect(sha(project)).toBe(before);
  });
});
