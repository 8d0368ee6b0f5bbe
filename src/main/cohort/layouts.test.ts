import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { ADHD200_PHENOTYPE, ABIDE } from '../../test-support/sharedData';
import { useTempDir } from '../../test-support/tempDir';
import { ProjectStore } from '../store/projectStore';
import { loadBuiltinAtlas } from './atlas/builtinAtlases';
import { ImportError } from './importError';
import { importCohort } from './importCohort';
import { buildImportRequest, detectImport } from './planImport';

/** Deterministic pseudo-random time series, T x R, as tab-separated text rows. */
function seriesRows(seed: number, timePoints: number, rois: number): string[] {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  return Array.from({ length: timePoints }, () => Array.from({ length: rois }, () => next().toFixed(5)).join('\t'));
}

describe('other layouts', () => {
  const tempDir = useTempDir();
  let store: ProjectStore;
  beforeEach(() => {
    store = ProjectStore.open(join(tempDir(), 'p.neurolip'));
    return () => store.close();
  });

  it('proposes the PCP mapping for the ABIDE phenotype file', () => {
    const proposal = detectImport(ABIDE.phenotype, ABIDE.ho);
    expect(proposal.layout).toBe('pcp');
    expect(proposal.atlas).toBe('harvard-oxford-cort');
    expect(proposal.mapping).toMatchObject({
      subjectId: 'FILE_ID',
      diagnosis: { column: 'DX_GROUP', codes: { '1': 'autism', '2': 'control' }, control: 'control' },
      sex: { column: 'SEX', codes: { '1': 'male', '2': 'female' } },
      site: { column: 'SITE_ID' },
      meanFd: { column: 'func_mean_fd' },
    });
    expect(proposal.mapping.keepColumns).toContain('FIQ');
    expect(proposal.dataFiles).toBe(102);
  });

  it('imports ADHD-200 (real phenotypes, synthetic Athena time courses) with site and sex codes', async () => {
    const aal = loadBuiltinAtlas('aal116');
    const folder = tempDir();
    const rows = readFileSync(ADHD200_PHENOTYPE, 'utf8').split(/\r?\n/).slice(1).filter(Boolean);
    const picked = ['1', '3', '5'].flatMap((site) => rows.filter((row) => row.split(',')[1]!.trim() === site).slice(0, 3));
    picked.forEach((row, i) => {
      const id = row.split(',')[0]!.padStart(7, '0');
      const header = ['File', 'Sub-brick', ...aal.rois.map((roi) => `Mean_${roi.code}`)].join('\t');
      const body = seriesRows(i + 1, 120, aal.rois.length).map((line, t) => `sfnwmrda${id}_session_1_rest_1.nii.gz\t${t}\t${line}`);
      writeFileSync(join(folder, `sfnwmrda${id}_session_1_rest_1_aal_TCs.1D`), [header, ...body].join('\n'));
    });
    const proposal = detectImport(ADHD200_PHENOTYPE, folder);
    expect(proposal.layout).toBe('adhd200');
    const summary = await importCohort(store, buildImportRequest(ADHD200_PHENOTYPE, folder, { name: 'adhd', atlas: 'aal116' }), {
      workers: 0,
    });
    expect(summary).toMatchObject({ subjects: 9, rois: 116, atlas: 'AAL116', roisWithCoordinates: 116 });
    expect(new Set(summary.counts.map((c) => c.site))).toEqual(new Set(['Peking', 'KKI', 'NYU']));
    expect(summary.counts.every((c) => ['male', 'female'].includes(c.sex))).toBe(true);
    expect(summary.counts.every((c) => ['control', 'ADHD'].includes(c.diagnosis))).toBe(true);
  });

  it('imports a BIDS-like folder: participants.tsv and one time-series table per subject', async () => {
    const folder = tempDir();
    const participants = ['participant_id\tdiagnosis\tsex\tage\tsite'];
    for (let i = 1; i <= 6; i += 1) {
      const id = `sub-${String(i).padStart(2, '0')}`;
      participants.push(`${id}\t${i % 2 ? 'ASD' : 'TD'}\t${i % 3 ? 'M' : 'F'}\t${10 + i}\tsiteA`);
      mkdirSync(join(folder, id, 'func'), { recursive: true });
      writeFileSync(
        join(folder, id, 'func', `${id}_task-rest_atlas-test_timeseries.tsv`),
        ['roi_a\troi_b\troi_c\troi_d', ...seriesRows(i, 80, 4)].join('\n'),
      );
    }
    writeFileSync(join(folder, 'participants.tsv'), participants.join('\n'));
    const proposal = detectImport(join(folder, 'participants.tsv'), folder);
    expect(proposal.layout).toBe('bids');
    expect(proposal.mapping.diagnosis).toEqual({ column: 'diagnosis', codes: { ASD: 'ASD', TD: 'TD' }, control: 'TD' });
    expect(proposal.mapping.sex).toEqual({ column: 'sex', codes: { F: 'female', M: 'male' } });
    const summary = await importCohort(store, buildImportRequest(join(folder, 'participants.tsv'), folder, { name: 'bids' }), {
      workers: 0,
    });
    expect(summary).toMatchObject({ subjects: 6, rois: 4, atlas: null });
  });

  it('imports precomputed matrices (.npy, .mat, CSV) and refuses a mix of sizes', async () => {
    const fixtures = join(import.meta.dirname, 'readers', 'fixtures');
    const folder = tempDir();
    copyFileSync(join(fixtures, 'corr3_f8.npy'), join(folder, 's01_fc.npy'));
    copyFileSync(join(fixtures, 'corr3.mat'), join(folder, 's02_fc.mat'));
    writeFileSync(join(folder, 's03_fc.csv'), '1,0.2,0.3\n0.2,1,0.4\n0.3,0.4,1\n');
    writeFileSync(join(folder, 'phenotype.csv'), 'subject,dx,sex\ns01,patient,F\ns02,control,M\ns03,control,F\n');
    const summary = await importCohort(store, buildImportRequest(join(folder, 'phenotype.csv'), folder, { name: 'fc', layout: 'fc' }), {
      workers: 0,
    });
    expect(summary).toMatchObject({ subjects: 3, rois: 3 });
    copyFileSync(join(fixtures, 'not_square.npy'), join(folder, 's04_fc.npy'));
    writeFileSync(join(folder, 'phenotype.csv'), 'subject,dx,sex\ns01,patient,F\ns02,control,M\ns03,control,F\ns04,patient,M\n');
    const error = await importCohort(store, buildImportRequest(join(folder, 'phenotype.csv'), folder, { name: 'fc2', layout: 'fc' }), {
      workers: 0,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ImportError);
    expect((error as Error).message).toBe('s04_fc.npy: a connectivity matrix must be square; this one is 3 x 4');
  });
});
