import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { Core } from '../core';
import { openFailureDialog } from '../openFailureDialog';
import { acquireProjectLock, lockPathOf, processIdentity, ProjectLockedError } from './projectLock';

/** The id of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  return child.pid!;
}

/** The ProjectLockedError that taking the lock throws (fails the test when it does not). */
function refusal(take: () => unknown): ProjectLockedError {
  try {
    take();
  } catch (error) {
    expect(error).toBeInstanceOf(ProjectLockedError);
    return error as ProjectLockedError;
  }
  throw new Error('the lock was not refused');
}

describe('project lock', () => {
  const tempDir = useTempDir();

  it('is held by one owner at a time, says who holds it, and is free again after release', () => {
    const project = join(tempDir(), 'locked.neurolip');
    const lock = acquireProjectLock(project, 'the NeuroLIP Studio local server');
    expect(JSON.parse(readFileSync(lockPathOf(project), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    const refused = refusal(() => acquireProjectLock(project, '`neurolip import`'));
    expect(refused.message).toMatch(
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

  it("refuses another computer's lock, and takes it over only when told: any such lock, or exactly the one the user was shown", () => {
    const project = join(tempDir(), 'network-drive.neurolip');
    const theirs = {
      pid: process.pid,
      hostname: `not-${hostname()}`,
      holder: 'the NeuroLIP Studio desktop app',
      startedAt: '2026-11-30T09:00:00Z',
    };
    writeFileSync(lockPathOf(project), JSON.stringify(theirs));
    const refused = refusal(() => acquireProjectLock(project, '`neurolip train`'));
    expect(refused.onAnotherComputer).toBe(true);
    expect(refused.message).toContain(`(process ${process.pid} on not-${hostname()}, since 2026-11-30T09:00:00Z)`);
    expect(refused.message).toContain(`If it is no longer open on not-${hostname()} (that computer crashed`);
    // Another lock than the one the user was shown (written since) is still refused.
    expect(() => acquireProjectLock(project, '`neurolip train`', { ...theirs, startedAt: '2026-11-30T10:00:00Z' })).toThrow(
      ProjectLockedError,
    );
    expect(JSON.parse(readFileSync(lockPathOf(project), 'utf8'))).toEqual(theirs);
    const lock = acquireProjectLock(project, '`neurolip train`', theirs);
    expect(JSON.parse(readFileSync(lockPathOf(project), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    lock.release();
    writeFileSync(lockPathOf(project), JSON.stringify(theirs));
    acquireProjectLock(project, '`neurolip train`', 'anotherComputer').release();
    expect(existsSync(lockPathOf(project))).toBe(false);
  });

  it('never takes over the lock of a process that still runs on this computer', () => {
    const project = join(tempDir(), 'busy.neurolip');
    const held = acquireProjectLock(project, 'the NeuroLIP Studio local server');
    try {
      for (const takeOver of ['anotherComputer', JSON.parse(readFileSync(lockPathOf(project), 'utf8'))] as const) {
        const refused = refusal(() => acquireProjectLock(project, '`neurolip import`', takeOver));
        expect(refused.onAnotherComputer).toBe(false);
        expect(refused.message).not.toContain('--take-over-lock');
      }
    } finally {
      held.release();
    }
  });

  it('offers "Open anyway" in the desktop app for another computer\'s lock only, with Quit as the default', () => {
    const project = join(tempDir(), 'dialog.neurolip');
    const theirs = { pid: 7, hostname: `not-${hostname()}`, holder: 'the NeuroLIP Studio desktop app', startedAt: '2026-11-30T09:00:00Z' };
    const dialog = openFailureDialog(new ProjectLockedError(project, theirs));
    expect(dialog).toMatchObject({ buttons: ['Open anyway', 'Quit'], takeOverButton: 0, quitButton: 1, defaultButton: 1, copyButton: -1 });
    expect(dialog.lockOwner).toEqual(theirs);
    expect(dialog.message).toContain(`Open anyway only if NeuroLIP Studio is no longer running on not-${hostname()}`);
    const local = openFailureDialog(new ProjectLockedError(project, { ...theirs, hostname: hostname() }));
    expect(local).toMatchObject({ buttons: ['Quit'], takeOverButton: -1, copyButton: -1, lockOwner: null });
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
