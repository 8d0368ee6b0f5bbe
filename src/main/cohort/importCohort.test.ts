import { copyFileSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeEach, describe, expect, it } from 'vitest';
import { ABIDE } from '../../test-support/sharedData';
import { tableCounts } from '../../test-support/projectCounts';
import { useTempDir } from '../../test-support/tempDir';
import { CohortRepository } from '../store/cohortRepository';
import { ProjectStore } from '../store/projectStore';
import { ImportError } from './importError';
import { importCohort } from './importCohort';
import { buildImportRequest } from './planImport';

const CALTECH = readdirSync(ABIDE.cc200)
  .filter((name) => name.startsWith('Caltech_00514'))
  .slice(0, 8);

describe('importing the real ABIDE sample', () => {
  const tempDir = useTempDir();
  let store: ProjectStore;
  beforeEach(() => {
    store = ProjectStore.open(join(tempDir(), 'p.neurolip'));
    return () => store.close();
  });

  it('imports 102 CC200 files with the PCP label table as atlas', async () => {
    const request = buildImportRequest(ABIDE.phenotype, ABIDE.cc200, { name: 'abide', atlas: ABIDE.cc200Labels });
    expect(request.layout).toBe('pcp');
    const summary = await importCohort(store, request, { workers: 0 });
    expect(summary).toMatchObject({ subjects: 99, rois: 200, atlas: 'CC200', roisWithCoordinates: 200 });
    // 1,035 rows have a FILE_ID (the full ABIDE release); 99 of them have files here.
    expect(summary.qcCounts).toMatchObject({ phenotypeRows: 1112, dataFiles: 102, filesWithoutPhenotype: 3, rowsWithoutImaging: 936 });
    expect(summary.excluded.map((e) => e.subject).sort()).toEqual(['Caltech_0051475', 'OHSU_0050155', 'OHSU_0050165']);
    expect(summary.excluded[0]!.reason).toMatch(/FILE_ID = no_filename/);
    expect(new Set(summary.counts.map((c) => c.site))).toEqual(new Set(['CALTECH', 'OHSU', 'SDSU']));

    const cohorts = new CohortRepository(store.db);
    const detail = cohorts.detail(summary.cohortId!)!;
    expect(detail.subjectsTable).toHaveLength(99);
    const first = detail.subjectsTable.find((s) => s.externalId === 'Caltech_0051456')!;
    expect(first).toMatchObject({ diagnosis: 'autism', sex: 'male', age: 55.4, site: 'CALTECH', timePoints: 146 });
    expect(detail.roisTable[0]).toMatchObject({ column: '#1', x: -39.6, y: -85.4, z: 1.4 });
    expect(detail.roisTable[0]!.label).toMatch(/^#1 \(/);
    const mean = cohorts.meanConnectivity(summary.cohortId!)!;
    expect(mean.rois).toBe(200);
    expect(mean.values[0]).toBe(0);
    expect(Math.abs(mean.values[1]!)).toBeGreaterThan(0);
  });

  it('imports Harvard-Oxford with 110 regions, dropping the spurious #3455 with a warning', async () => {
    const summary = await importCohort(store, buildImportRequest(ABIDE.phenotype, ABIDE.ho, { name: 'ho' }), { workers: 0 });
    expect(summary).toMatchObject({ subjects: 99, rois: 110, atlas: 'Harvard-Oxford cortical', roisWithCoordinates: 96 });
    expect(summary.warnings.some((w) => w.startsWith('#3455 dropped: a known spurious label'))).toBe(true);
  });

  it('imports gzipped files, and refuses to import the same files twice', async () => {
    const request = buildImportRequest(ABIDE.phenotype, ABIDE.devCc200, { name: 'dev' });
    const summary = await importCohort(store, request, { workers: 0 });
    expect(summary.subjects).toBe(303);
    expect(summary.qcCounts.filesWithoutPhenotype).toBe(14);
    const before = tableCounts(store.db);
    const again = await importCohort(store, { ...request, name: 'dev again' }, { workers: 0 }).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(ImportError);
    expect((again as Error).message).toMatch(
      /^rois_cc200: these files were already imported as cohort "dev" on \d{4}-\d\d-\d\d; delete that cohort first/,
    );
    expect(tableCounts(store.db)).toEqual(before);
  });

  it('applies QC filters with visible counts', async () => {
    const request = buildImportRequest(ABIDE.phenotype, ABIDE.cc200, {
      name: 'qc',
      qc: { maxMeanFdMm: 0.2, maxMissingRois: 10, minTimePoints: 150 },
    });
    const summary = await importCohort(store, request, { workers: 0, dryRun: true });
    const q = summary.qcCounts;
    expect(q.excludedByMeanFd).toBe(6);
    expect(q.excludedByMissingRois + q.excludedByTimePoints).toBeGreaterThan(0);
    expect(summary.subjects).toBe(99 - q.excludedByMeanFd - q.excludedByTimePoints - q.excludedByMissingRois);
    expect(summary.excluded.find((e) => e.subject === 'SDSU_0050192')!.reason).toBe('mean FD 0.616 mm > 0.2 mm');
    expect(tableCounts(store.db).cohorts).toBe(0);
  });
});

describe('bad input: a clear error, and nothing written', () => {
  const tempDir = useTempDir();
  let store: ProjectStore;
  let folder: string;
  let before: Record<string, number>;

  beforeEach(async () => {
    store = ProjectStore.open(join(tempDir(), 'p.neurolip'));
    // An earlier, good cohort that must survive every failed import.
    await importCohort(store, buildImportRequest(ABIDE.phenotype, ABIDE.ho, { name: 'earlier' }), { workers: 0 });
    before = tableCounts(store.db);
    folder = tempDir();
    for (const name of CALTECH) copyFileSync(join(ABIDE.cc200, name), join(folder, name));
    return () => store.close();
  });

  async function expectRefused(message: string | RegExp, phenotype = ABIDE.phenotype, dataPath = folder): Promise<void> {
    const error = await Promise.resolve()
      .then(() => importCohort(store, buildImportRequest(phenotype, dataPath, { name: 'new' }), { workers: 0 }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    if (typeof message === 'string') expect((error as Error).message).toBe(message);
    else expect((error as Error).message).toMatch(message);
    expect(tableCounts(store.db)).toEqual(before);
    expect(new CohortRepository(store.db).list().map((c) => c.name)).toEqual(['earlier']);
  }

  const lines = (name: string): string[] => readFileSync(join(folder, name), 'utf8').split('\n');
  const write = (name: string, content: string | Buffer): void => writeFileSync(join(folder, name), content);
  const target = CALTECH[3]!;

  it('a truncated file', async () => {
    const text = readFileSync(join(folder, target), 'utf8');
    write(target, text.slice(0, Math.floor(text.length / 2)));
    await expectRefused(new RegExp(`^${target}, line \\d+: expected 200 values, found \\d+ \\(is the file truncated\\?\\)$`));
  });

  it('an empty file', async () => {
    write(target, '');
    await expectRefused(`${target}: the file is empty`);
  });

  it('a row with the wrong number of columns', async () => {
    const rows = lines(target);
    rows[10] = rows[10]!.split('\t').slice(0, 150).join('\t');
    write(target, rows.join('\n'));
    await expectRefused(`${target}, line 11: expected 200 values, found 150`);
  });

  it('a non-numeric cell, NaN and Inf', async () => {
    for (const [bad, shown] of [
      ['oops', '"oops", not a number'],
      ['nan', '"nan" (NaN or infinite)'],
      ['Inf', '"Inf" (NaN or infinite)'],
    ]) {
      const rows = lines(target);
      const cells = rows[5]!.split('\t');
      cells[6] = bad!;
      rows[5] = cells.join('\t');
      write(target, rows.join('\n'));
      await expectRefused(`${target}, line 6, column #7: ${shown}`);
      copyFileSync(join(ABIDE.cc200, target), join(folder, target));
    }
  });

  it('binary garbage', async () => {
    write(target, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 97) % 256)));
    await expectRefused(`${target}: this is a binary file, not text (a NUL byte at offset 0)`);
  });

  it('a subject whose ROI columns differ from the others', async () => {
    const rows = lines(target).map((row) => row.split('\t').slice(0, 199).join('\t'));
    write(target, rows.join('\n'));
    await expectRefused(
      new RegExp(`^${target}: has 199 ROIs, but Caltech_\\d+_rois_cc200\\.1D has 200; every subject must use the same atlas$`),
    );
  });

  it('a duplicate subject (the same subject twice, once gzipped)', async () => {
    write(`${target}.gz`, gzipSync(readFileSync(join(folder, target))));
    await expectRefused(
      `${target}.gz: duplicate subject: this file and ${target} both belong to subject "${target.replace('_rois_cc200.1D', '')}"`,
    );
  });

  it('an unknown diagnosis code', async () => {
    const phenotype = join(tempDir(), 'pheno.csv');
    const text = readFileSync(ABIDE.phenotype, 'utf8').split('\n');
    const header = text[0]!.split(',');
    const dx = header.indexOf('DX_GROUP');
    const index = text.findIndex((line) => line.includes(target.replace('_rois_cc200.1D', '')));
    const cells = text[index]!.split(',');
    cells[dx] = '7';
    text[index] = cells.join(',');
    writeFileSync(phenotype, text.join('\n'));
    await expectRefused(
      `pheno.csv, line ${index + 1}, column DX_GROUP: unknown diagnosis code "7"; known codes: 1 (autism), 2 (control). Add it to the mapping or mark it missing.`,
      phenotype,
    );
  });

  it('a duplicate subject in the phenotype table', async () => {
    const phenotype = join(tempDir(), 'pheno.csv');
    const text = readFileSync(ABIDE.phenotype, 'utf8').trimEnd().split('\n');
    const row = text.find((line) => line.includes(target.replace('_rois_cc200.1D', '')))!;
    writeFileSync(phenotype, [...text, row].join('\n'));
    await expectRefused(
      new RegExp(`^pheno\\.csv, line ${text.length + 1}, column FILE_ID: duplicate subject "Caltech_\\d+" \\(also on line \\d+\\)$`),
      phenotype,
    );
  });

  it('an unreadable folder', async () => {
    await expectRefused('no-such-folder: the folder cannot be read (ENOENT)', ABIDE.phenotype, join(folder, 'no-such-folder'));
    await expectRefused(`${target}: the folder cannot be read (ENOTDIR)`, ABIDE.phenotype, join(folder, target));
  });

  it('a mapping that names a missing column', async () => {
    const error = await Promise.resolve()
      .then(() =>
        importCohort(store, buildImportRequest(ABIDE.phenotype, folder, { name: 'x', mapping: { age: { column: 'AGE' } } }), {
          workers: 0,
        }),
      )
      .catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/^Phenotypic_V1_0b_preprocessed1\.csv, line 1, column AGE: no such column in the header/);
    expect(tableCounts(store.db)).toEqual(before);
  });

  it('a cohort name that is taken', async () => {
    const error = await importCohort(store, buildImportRequest(ABIDE.phenotype, folder, { name: 'earlier' }), { workers: 0 }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('A cohort named "earlier" already exists in this project; choose another name.');
    expect(tableCounts(store.db)).toEqual(before);
  });

  it('files without phenotype rows and rows without files are counted, not imported', async () => {
    write('Caltech_9999999_rois_cc200.1D', readFileSync(join(folder, target)));
    const summary = await importCohort(store, buildImportRequest(ABIDE.phenotype, folder, { name: 'partial' }), { workers: 0 });
    expect(summary.subjects).toBe(CALTECH.length);
    expect(summary.excluded).toContainEqual({
      subject: 'Caltech_9999999',
      reason: 'no phenotype row has FILE_ID = Caltech_9999999',
      where: 'Caltech_9999999_rois_cc200.1D',
    });
    expect(summary.qcCounts.rowsWithoutImaging).toBeGreaterThan(1000);
  });

  it('cancelling leaves nothing behind', async () => {
    const controller = new AbortController();
    const running = importCohort(store, buildImportRequest(ABIDE.phenotype, ABIDE.devCc200, { name: 'cancelled' }), {
      workers: 0,
      signal: controller.signal,
      progress: (fraction) => {
        if (fraction > 0.3) controller.abort();
      },
    });
    await expect(running).rejects.toThrow('Cancelled by the user.');
    expect(tableCounts(store.db)).toEqual(before);
  });
});
