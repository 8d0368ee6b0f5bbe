import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { NEUROLIP_APPLICATION_ID, openProjectFile, ProjectFileError } from './projectFile';
import { ProjectStore } from './projectStore';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

function expectRefusal(path: string, code: string, message: RegExp): void {
  const before = sha(path);
  const filesBefore = readdirSync(join(path, '..')).sort();
  let caught: unknown;
  try {
    openProjectFile(path);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ProjectFileError);
  expect((caught as ProjectFileError).code).toBe(code);
  expect((caught as Error).message).toMatch(message);
  expect((caught as Error).message).toContain(path);
  expect(sha(path)).toBe(before);
  expect(readdirSync(join(path, '..')).sort()).toEqual(filesBefore);
}

describe('project file', () => {
  const tempDir = useTempDir();

  it('creates and migrates a new project, with WAL and foreign keys on', () => {
    const path = join(tempDir(), 'nested', 'study.neurolip');
    const project = openProjectFile(path);
    expect(project.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(project.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(project.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(project.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    expect(project.db.pragma('application_id', { simple: true })).toBe(NEUROLIP_APPLICATION_ID);
    const tables = project.db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((row) => (row as { name: string }).name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'atlases',
        'atlas_rois',
        'cohorts',
        'subjects',
        'connectivity',
        'imports',
        'import_files',
        'runs',
        'epochs',
        'folds',
        'checkpoints',
        'predictions',
        'attention_maps',
        'metrics',
      ]),
    );
    project.db.close();
  });

  it('migrates an empty (zero-byte) file', () => {
    const path = join(tempDir(), 'empty.neurolip');
    writeFileSync(path, '');
    const project = openProjectFile(path);
    expect(project.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    project.db.close();
  });

  it('reopens a project with its contents and without taking a backup', () => {
    const path = join(tempDir(), 'study.neurolip');
    const first = ProjectStore.open(path);
    first.db.prepare("INSERT INTO atlases (name, source) VALUES ('CC200', 'test')").run();
    first.close();
    const again = ProjectStore.open(path);
    expect(again.summary()).toMatchObject({ atlases: 1, cohorts: 0, runs: 0 });
    expect(again.backupPath).toBeNull();
    again.close();
  });

  it('enforces foreign keys', () => {
    const project = ProjectStore.open(join(tempDir(), 'fk.neurolip'));
    expect(() => project.db.prepare("INSERT INTO subjects (cohort_id, external_id) VALUES (42, 'x')").run()).toThrow(/FOREIGN KEY/);
    project.close();
  });

  it('refuses an SQLite file that is not a project, without changing a byte', () => {
    const path = join(tempDir(), 'other.sqlite');
    const other = new Database(path);
    other.exec("CREATE TABLE notes (text TEXT); INSERT INTO notes VALUES ('keep me');");
    other.close();
    expectRefusal(path, 'NOT_A_PROJECT', /is an SQLite database but not a NeuroLIP project/);
  });

  it('refuses a file that is not SQLite at all', () => {
    const path = join(tempDir(), 'notes.neurolip');
    writeFileSync(path, 'subject,dx\n1,2\n'.repeat(20));
    expectRefusal(path, 'NOT_SQLITE', /not an SQLite database/);
  });

  it('refuses a project written by a newer schema, without changing a byte', () => {
    const path = join(tempDir(), 'future.neurolip');
    ProjectStore.open(path).close();
    const raw = new Database(path);
    raw.pragma('journal_mode = DELETE');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    expectRefusal(path, 'NEWER_SCHEMA', new RegExp(`project schema ${LATEST_SCHEMA_VERSION + 1}`));
  });

  it('copies an older project aside before migrating it', () => {
    const path = join(tempDir(), 'old.neurolip');
    const raw = new Database(path);
    raw.pragma(`application_id = ${NEUROLIP_APPLICATION_ID}`);
    raw.exec('CREATE TABLE keep (x INTEGER)');
    raw.close();
    const before = sha(path);
    const project = openProjectFile(path);
    expect(project.backupPath).toBe(`${path}.schema-v0.bak`);
    expect(existsSync(project.backupPath!)).toBe(true);
    expect(sha(project.backupPath!)).toBe(before);
    expect(project.db.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION);
    project.db.close();
  });
});

describe('project file shared with another connection', () => {
  const tempDir = useTempDir();

  it('is recognised while another process holds it open in WAL mode', () => {
    const path = join(tempDir(), 'busy.neurolip');
    const holder = ProjectStore.open(path);
    holder.db.prepare("INSERT INTO atlases (name, source) VALUES ('AAL116', 'test')").run();
    const second = ProjectStore.open(path);
    expect(second.summary().atlases).toBe(1);
    second.close();
    holder.close();
  });
});
