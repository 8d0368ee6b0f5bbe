import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { Core } from '../core';
import { acquireProjectLock, lockPathOf, processIdentity, ProjectLockedError } from './projectLock';

/** The id of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

describe('project lock', () => {
  const tempDir = useTempDir();

  it('is held by one owner at a time, says who holds it, and is free again after release', () => {
    const project = join(tempDir(), 'locked.neurolip');
    const lock = acquireProjectLock(project, 'the NeuroLIP Studio local server');
    expect(JSON.parse(readFileSync(lockPathOf(project), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    let refused: unknown;
    try {
      acquireProjectLock(project, '`neurolip import`');
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(ProjectLockedError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `^${project} is already open in the NeuroLIP Studio local server \\(process ${process.pid}, since .+\\)\\. Close it there first`,
      ),
    );
    lock.release();
    expect(existsSync(lockPathOf(project))).toBe(false);
    acquireProjectLock(project, '`neurolip import`').release();
  });

  it('says which folder is missing when the folder of the project does not exist', () => {
    const folder = join(tempDir(), 'no-such-folder');
    expect(() => acquireProjectLock(join(folder, 'p.neurolip'), '`neurolip import`')).toThrow(
      `Cannot open the project ${join(folder, 'p.neurolip')}: the folder ${folder} does not exist.`,
    );
    expect(existsSync(folder)).toBe(false);
  });

  it('takes over a lock left by a process that no longer runs', () => {
    const project = join(tempDir(), 'stale.neurolip');
    const pid = deadPid();
    writeFileSync(lockPathOf(project), JSON.stringify({ pid, hostname: hostname(), holder: 'x', startedAt: '2026-01-01T00:00:00Z' }));
    const lock = acquireProjectLock(project, '`neurolip train`');
    expect(JSON.parse(readFileSync(lockPathOf(project), 'utf8'))).toMatchObject({ pid: process.pid, holder: '`neurolip train`' });
    lock.release();
  });

  it('takes over a lock whose process id now belongs to another process (the id was reused after a crash)', () => {
    const project = join(tempDir(), 'reused.neurolip');
    const mine = processIdentity(process.pid);
    expect(mine).toMatch(/^[0-9a-f-]{36}\/\d+$/);
    const owner = { pid: process.pid, hostname: hostname(), holder: 'x', startedAt: '2026-01-01T00:00:00Z' };
    // This process's id, but an earlier start: the owner that wrote it is gone.
    writeFileSync(lockPathOf(project), JSON.stringify({ ...owner, process: `${mine!.split('/')[0]}/1` }));
    acquireProjectLock(project, '`neurolip train`').release();
    // The same id and the same start: the owner still runs, and the lock is refused.
    writeFileSync(lockPathOf(project), JSON.stringify({ ...owner, process: mine }));
    expect(() => acquireProjectLock(project, '`neurolip train`')).toThrow(ProjectLockedError);
    // A lock from before the identity was recorded falls back to the process id alone.
    writeFileSync(lockPathOf(project), JSON.stringify(owner));
    expect(() => acquireProjectLock(project, '`neurolip train`')).toThrow(ProjectLockedError);
  });

  it('refuses a second desktop or server Core on the same project, and lets read-only CLI commands in', () => {
    const project = join(tempDir(), 'shared.neurolip');
    const first = Core.open({ projectPath: project, shell: 'server' });
    try {
      expect(() => Core.open({ projectPath: project, shell: 'desktop' })).toThrow(ProjectLockedError);
      const reader = Core.open({ projectPath: project, shell: 'cli' });
      expect(reader.store.summary().cohorts).toBe(0);
      reader.close();
    } finally {
      first.close();
    }
    expect(existsSync(lockPathOf(project))).toBe(false);
    Core.open({ projectPath: project, shell: 'desktop' }).close();
  });
});
