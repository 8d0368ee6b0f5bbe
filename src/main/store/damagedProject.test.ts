import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { createIpcDispatcher } from '../api/ipcDispatcher';
import { appRouter } from '../api/router';
import { Core } from '../core';
import { openFailureDialog } from '../openFailureDialog';
import type { IpcResponse } from '../../shared/ipc';
import { openProjectFile, ProjectFileError } from './projectFile';
import { lockPathOf } from './projectLock';
import { ProjectStore } from './projectStore';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
/** The page size in an SQLite file's header (1 stands for 65536). */
const pageSizeOf = (bytes: Buffer): number => (bytes.readUInt16BE(16) === 1 ? 65536 : bytes.readUInt16BE(16));

/** A closed project with one atlas of 3000 ROIs, so that its rows span many pages. */
function projectWithRows(path: string): void {
  const store = ProjectStore.open(path);
  const atlas = Number(store.db.prepare("INSERT INTO atlases (name, source) VALUES ('big', 'test')").run().lastInsertRowid);
  const insert = store.db.prepare('INSERT INTO atlas_rois (atlas_id, roi_index, label, x, y, z, code) VALUES (?, ?, ?, ?, ?, ?, ?)');
  store.db.transaction(() => {
    for (let i = 0; i < 3000; i += 1) insert.run(atlas, i, `region number ${i} with a long enough label`, i, -i, i / 2, i);
  })();
  store.close();
}

/** Page numbers (from 1) of one table's leaf pages. */
function leafPages(path: string, table: string): number[] {
  const db = new Database(path, { readonly: true });
  try {
    return (db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf'").all(table) as { pageno: number }[]).map(
      (row) => row.pageno,
    );
  } finally {
    db.close();
  }
}

function refusal(path: string): ProjectFileError {
  try {
    openProjectFile(path).db.close();
  } catch (error) {
    if (error instanceof ProjectFileError) return error;
    throw error;
  }
  throw new Error(`${path} was opened`);
}

describe('a damaged project file', () => {
  const tempDir = useTempDir();

  it('refuses a truncated file with a clear message, without changing a byte', () => {
    const path = join(tempDir(), 'truncated.neurolip');
    projectWithRows(path);
    const whole = readFileSync(path);
    const pageSize = pageSizeOf(whole);
    writeFileSync(path, whole.subarray(0, Math.floor(whole.length / 2 / pageSize) * pageSize));
    const before = sha(path);
    const error = refusal(path);
    expect(error.code).toBe('DAMAGED');
    expect(error.message).toMatch(
      new RegExp(`^${path} is damaged: it is truncated: \\d+ bytes of the ${whole.length} its header promises\\.`),
    );
    expect(error.message).toContain('It was not opened, and not a byte of it was changed.');
    expect(sha(path)).toBe(before);
  });

  it('refuses a file with a damaged page, and offers a read-only copy that can still be read', () => {
    const dir = tempDir();
    const path = join(dir, 'damaged.neurolip');
    projectWithRows(path);
    const bytes = readFileSync(path);
    const page = leafPages(path, 'atlas_rois')[3]!;
    const pageSize = pageSizeOf(bytes);
    bytes.fill(0x41, (page - 1) * pageSize + 8, page * pageSize);
    writeFileSync(path, bytes);
    const before = sha(path);

    const error = refusal(path);
    expect(error.code).toBe('DAMAGED');
    expect(error.readOnlyCopyPossible).toBe(true);
    expect(error.message).toMatch(new RegExp(`^${path} is damaged: SQLite's check found damage \\(.+\\)\\. It was not opened`));
    expect(error.message).toContain('`neurolip serve --project FILE --read-only-copy`');
    expect(openFailureDialog(error)).toMatchObject({ buttons: ['Open a read-only copy', 'Quit'], copyButton: 0 });
    expect(() => Core.open({ projectPath: path, shell: 'desktop' })).toThrow(ProjectFileError);
    expect(existsSync(lockPathOf(path))).toBe(false);
    expect(sha(path)).toBe(before);

    const copy = Core.open({ projectPath: path, shell: 'desktop', readOnlyCopy: true });
    try {
      expect(copy.store.path).toMatch(/damaged\.readonly-copy-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.neurolip$/);
      expect(copy.store.summary()).toMatchObject({ readOnlyCopyOf: path, atlases: 1, cohorts: 0 });
      expect(() => copy.store.db.prepare("INSERT INTO atlases (name, source) VALUES ('x', 'y')").run()).toThrow(/readonly/);
    } finally {
      copy.close();
    }
    expect(sha(path)).toBe(before);
  });

  it('says to restore from a backup when SQLite cannot read the tables at all', () => {
    const path = join(tempDir(), 'unreadable.neurolip');
    projectWithRows(path);
    const bytes = readFileSync(path);
    bytes.fill(0x41, 100, pageSizeOf(bytes));
    writeFileSync(path, bytes);
    const before = sha(path);
    const error = refusal(path);
    expect(error.code).toBe('DAMAGED');
    expect(error.readOnlyCopyPossible).toBe(false);
    expect(error.message).toMatch(/SQLite cannot read its tables; restore it from a backup\.$/);
    expect(openFailureDialog(error)).toMatchObject({ buttons: ['Quit'], copyButton: -1 });
    expect(sha(path)).toBe(before);
  });
});

describe('the API on a read-only copy', () => {
  const tempDir = useTempDir();

  it('answers reads, and refuses writes with a message that says why', async () => {
    const path = join(tempDir(), 'sound.neurolip');
    projectWithRows(path);
    const core = Core.open({ projectPath: path, shell: 'server', readOnlyCopy: true });
    try {
      const dispatcher = createIpcDispatcher(appRouter, () => ({ core }));
      const answers: IpcResponse[] = [];
      const peer = { id: 1, send: (response: IpcResponse) => answers.push(response) };
      dispatcher.handle(peer, { kind: 'call', id: 1, type: 'query', path: 'project.summary', input: undefined });
      dispatcher.handle(peer, { kind: 'call', id: 2, type: 'mutation', path: 'runs.delete', input: { runId: 1 } });
      await expect.poll(() => answers.length).toBe(2);
      expect(answers.find((a) => a.id === 1)).toMatchObject({ kind: 'data', data: { readOnlyCopyOf: path, atlases: 1 } });
      expect(answers.find((a) => a.id === 2)).toMatchObject({
        kind: 'error',
        error: {
          message: `Could not write this change: ${core.store.path} is open read-only (a copy of a damaged project), so nothing can be changed in it.`,
        },
      });
    } finally {
      core.close();
    }
  });
});
