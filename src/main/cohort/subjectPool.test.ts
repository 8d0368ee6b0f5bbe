import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIDE } from '../../test-support/sharedData';
import { useTempDir } from '../../test-support/tempDir';
import { ImportError } from './importError';
import { readAhead } from './readAhead';
import type { SubjectTask } from './subjectData';
import { SubjectPool } from './subjectPool';

const CALTECH = readdirSync(ABIDE.cc200)
  .filter((name) => name.startsWith('Caltech_'))
  .slice(0, 4);

const series = (path: string): SubjectTask => ({ path, kind: 'timeseries', matrixKind: 'auto' });

/** Runs `use` with a pool that reads on this thread (as in every unit test: there is no built worker entry). */
async function withPool<T>(use: (pool: SubjectPool) => Promise<T>): Promise<T> {
  const pool = new SubjectPool(0);
  try {
    return await use(pool);
  } finally {
    await pool.close();
  }
}

describe('the subject pool reading ahead', () => {
  const tempDir = useTempDir();

  function folderWithGarbage(): string {
    const folder = tempDir();
    for (const name of CALTECH) copyFileSync(join(ABIDE.cc200, name), join(folder, name));
    writeFileSync(join(folder, 'Caltech_9999999_rois_cc200.1D'), Buffer.from([0x00, 0xff, 0x13, 0x37]));
    return folder;
  }

  it('gives back only the files read wants, in its order; a file read ahead but not wanted is dropped, error and all', async () => {
    const folder = folderWithGarbage();
    const wanted = [...CALTECH].reverse().map((name) => series(join(folder, name)));
    const done: number[] = [];
    const ahead = await withPool((pool) => {
      readAhead(pool, ABIDE.phenotype, folder);
      return pool.read(wanted, { onDone: (n) => done.push(n) });
    });
    const fresh = await withPool((pool) => pool.read(wanted));
    expect(ahead.map((subject) => subject.path)).toEqual(wanted.map((task) => task.path));
    expect(ahead.map(({ sha256, timePoints, rois, columns }) => ({ sha256, timePoints, rois, columns }))).toEqual(
      fresh.map(({ sha256, timePoints, rois, columns }) => ({ sha256, timePoints, rois, columns })),
    );
    expect(done).toEqual([1, 2, 3, 4]);
  });

  it('stops at a wanted file that cannot be read, naming it', async () => {
    const folder = folderWithGarbage();
    const garbage = join(folder, 'Caltech_9999999_rois_cc200.1D');
    const error = await withPool((pool) => {
      readAhead(pool, ABIDE.phenotype, folder);
      return pool.read([series(join(folder, CALTECH[0]!)), series(garbage)]);
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as ImportError).file).toBe(garbage);
  });

  it('reads again a file read ahead the wrong way (a text matrix read ahead as time series)', async () => {
    const folder = tempDir();
    const path = join(folder, 'sub-01_fc.csv');
    writeFileSync(path, '1,0.5,0.25\n0.5,1,0.125\n0.25,0.125,1\n');
    const [subject] = await withPool((pool) => {
      readAhead(pool, join(folder, 'participants.tsv'), folder);
      return pool.read([{ path, kind: 'matrix', matrixKind: 'correlation' }]);
    });
    expect(subject).toMatchObject({ path, rois: 3, columns: null, timePoints: null, series: null });
  });

  it('leaves a folder it cannot list to the import, which says why', async () => {
    const folder = join(tempDir(), 'no-such-folder');
    await withPool(async (pool) => {
      expect(() => readAhead(pool, ABIDE.phenotype, folder)).not.toThrow();
      expect(await pool.read([])).toEqual([]);
    });
  });
});
