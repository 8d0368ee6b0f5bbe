import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeNifti } from '../../test-support/niftiFile';
import { useTempDir } from '../../test-support/tempDir';
import { useTestCore } from '../../test-support/testCore';
import { mapOverlap } from '../eval/attentionSummary';
import { float32FromBlob, uint8FromBlob } from '../store/blobs';
import { importDemoCohort } from '../synth/demoCohort';
import { selectBackend } from '../tf/backend';
import { appRouter } from './router';
import { createCallerFactory, type ApiContext } from './trpc';

const caller = createCallerFactory(appRouter);

beforeAll(async () => {
  await selectBackend('wasm');
});

/** Imports a demo cohort into the core's project, trains one run on it through the API, and gives that run's id. */
async function trainedDemoRun(
  core: ApiContext['core'],
  demoOptions: Parameters<typeof importDemoCohort>[1],
  protocol: 'kfold5' | 'loso',
  config: Record<string, unknown>,
): Promise<number> {
  const api = caller({ core });
  const demo = await importDemoCohort(core.store, demoOptions, { workers: 0 });
  const job = await api.runs.train({ cohortId: demo.cohortId, protocol, config });
  expect((await core.jobs.settled(job.id))?.state).toBe('done');
  return (await api.runs.list())[0]!.id;
}

describe('brain API', () => {
  const testCore = useTestCore();
  const tempDir = useTempDir();

  it("reads a run's maps, a subject's maps, the connectivity difference and reference maps", async () => {
    const core = testCore();
    const api = caller({ core });
    const runId = await trainedDemoRun(core, { subjects: 60, rois: 20, timePoints: 100, seed: 5 }, 'kfold5', {
      variant: 'neurolip',
      epochs: 2,
      patience: 2,
      d: 8,
      heads: 2,
      batchSize: 32,
    });
    const db = core.store.db;

    const maps = await api.brain.maps({ runId });
    const stored = (await api.runs.result({ runId })).maps as { groups: Record<string, number[]>; contrast: number[] };
    expect(maps.rois).toHaveLength(20);
    expect(maps.rois.every((roi) => roi.x !== null && roi.label !== '')).toBe(true);
    expect(maps.groupMaps.contrast).toEqual(stored.contrast);
    expect(maps.groupMaps['dx:autism']).toEqual(stored.groups['dx:autism']);
    expect(maps.groupTokens.map((t) => [t.id, t.kind])).toEqual([
      ...Object.keys(stored.groups).map((id) => [id, id.startsWith('dx:') ? 'diagnosis' : 'sensitive']),
      ['contrast', 'contrast'],
    ]);
    expect(maps.groupTokens.find((t) => t.id === 'dx:control')?.label).toBe('Diagnosis: control (control)');
    expect(maps.subjectTokens.map((t) => t.id)).toEqual(['dx:autism', 'dx:control', 'own:ageGroup', 'own:sex', 'own:site', 'contrast']);
    expect(maps.subjects).toHaveLength(60);
    expect(Object.keys(maps.overlap)).toEqual(['sex', 'ageGroup', 'site']);

    const overlap = await api.brain.overlap({ runId, tokens: ['dx:autism', 'sex:female'] });
    expect(overlap.overlap).toBeCloseTo(mapOverlap(maps.groupMaps['dx:autism']!, maps.groupMaps['sex:female']!), 12);
    expect((await api.brain.overlap({ runId, tokens: ['dx:autism', 'dx:autism'] })).overlap).toBeCloseTo(1, 9);
    await expect(api.brain.overlap({ runId, tokens: ['dx:autism', 'contrast'] })).rejects.toThrow(/The contrast has negative values/);

    const subject = maps.subjects[0]!;
    const blob = (token: string): number[] =>
      Array.from(
        float32FromBlob(
          (
            db
              .prepare('SELECT weights FROM attention_maps WHERE run_id = ? AND subject_id = ? AND token = ?')
              .get(runId, subject.id, token) as {
              weights: Buffer;
            }
          ).weights,
        ),
      );
    expect((await api.brain.subjectMap({ runId, subjectId: subject.id, token: 'own:sex' })).values).toEqual(blob('own:sex'));
    const contrast = await api.brain.subjectMap({ runId, subjectId: subject.id, token: 'contrast' });
    const [patient, control] = [blob('dx:autism'), blob('dx:control')];
    contrast.values.forEach((v, r) => expect(v).toBeCloseTo(patient[r]! - control[r]!, 6));
    await expect(api.brain.subjectMap({ runId, subjectId: subject.id, token: 'own:handedness' })).rejects.toThrow(
      `Run ${runId} stored no "own:handedness" map for subject ${subject.id}.`,
    );
    await expect(api.brain.maps({ runId: 999 })).rejects.toThrow('There is no run 999 in this project.');

    // Connectivity difference, checked at one pair against the stored matrices.
    const difference = await api.brain.connectivityDifference({ runId });
    expect(difference.rois).toBe(20);
    expect(difference.patients + difference.controls).toBe(60);
    const rows = db
      .prepare(
        "SELECT f.matrix, f.missing_rois AS missing, json_extract(s.phenotype, '$.diagnosis') AS dx FROM connectivity f JOIN subjects s ON s.id = f.subject_id",
      )
      .all() as { matrix: Buffer; missing: Buffer; dx: string }[];
    const meanAt = (group: string, i: number, j: number): number => {
      const values = rows
        .filter((row) => (row.dx === 'control') === (group === 'control'))
        .filter((row) => !uint8FromBlob(row.missing)[i] && !uint8FromBlob(row.missing)[j])
        .map((row) => float32FromBlob(row.matrix)[i * 20 + j]!);
      return values.reduce((a, b) => a + b, 0) / values.length;
    };
    expect(difference.values[2 * 20 + 7]).toBeCloseTo(meanAt('autism', 2, 7) - meanAt('control', 2, 7), 6);
    expect(difference.values[7 * 20 + 2]).toBeCloseTo(difference.values[2 * 20 + 7]!, 9);

    // Reference maps: a CSV, a bad CSV, and a NIfTI volume parcellated on a label image.
    const dir = tempDir();
    const csv = join(dir, 'reference.csv');
    writeFileSync(csv, `value\n${maps.rois.map((_, r) => r / 10).join('\n')}\n`);
    expect(await api.brain.referenceMap({ runId, path: csv })).toEqual({
      file: 'reference.csv',
      kind: 'csv',
      values: maps.rois.map((_, r) => r / 10),
    });
    writeFileSync(csv, 'value\n1\n2\n');
    await expect(api.brain.referenceMap({ runId, path: csv })).rejects.toThrow("reference.csv: 2 values, but the run's atlas has 20 ROIs");
    const codes = (
      db
        .prepare(
          'SELECT a.code FROM cohort_rois r JOIN cohorts c ON c.id = r.cohort_id JOIN atlas_rois a ON a.atlas_id = c.atlas_id AND a.roi_index = r.atlas_roi_index ORDER BY r.roi_index',
        )
        .all() as { code: number }[]
    ).map((row) => row.code);
    const affine = [
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ];
    // Two voxels per ROI in a 40 x 1 x 1 label image; the reference holds 3r and 3r + 1 there.
    writeNifti(
      join(dir, 'labels.nii'),
      [40, 1, 1],
      Array.from({ length: 40 }, (_, i) => codes[Math.floor(i / 2)]!),
      {
        datatype: 'int16',
        affine,
      },
    );
    writeNifti(
      join(dir, 'map.nii.gz'),
      [40, 1, 1],
      Array.from({ length: 40 }, (_, i) => 3 * Math.floor(i / 2) + (i % 2)),
      {
        datatype: 'float32',
        affine,
      },
    );
    const parcellated = await api.brain.referenceMap({ runId, path: join(dir, 'map.nii.gz'), labelImage: join(dir, 'labels.nii') });
    expect(parcellated).toEqual({ file: 'map.nii.gz', kind: 'nifti', values: codes.map((_, r) => 3 * r + 0.5) });
    // The AAL label image itself as a map, parcellated on the label image the atlas was derived from
    // (found through the atlas's provenance): each ROI gets its own label value.
    const aal = '/usr/share/mricron/templates/aal.nii.gz';
    const valueOfCode = new Map(
      readFileSync('/usr/share/mricron/templates/aal.nii.txt', 'latin1')
        .split('\n')
        .map((line) => line.trim().split(/\s+/))
        .filter((parts) => parts.length === 3)
        .map(([value, , code]) => [Number(code), Number(value)]),
    );
    expect((await api.brain.referenceMap({ runId, path: aal })).values).toEqual(codes.map((code) => valueOfCode.get(code)));
    await expect(api.brain.referenceMap({ runId, path: join(dir, 'missing.csv') })).rejects.toThrow(
      /^missing\.csv: cannot be read \(ENOENT\)$/,
    );
  }, 120_000);

  it('reads a leave-one-site-out run, whose test sites have no site token, and such a run stored with empty site maps', async () => {
    const core = testCore();
    const api = caller({ core });
    const runId = await trainedDemoRun(core, { subjects: 60, rois: 12, timePoints: 80, seed: 7 }, 'loso', {
      variant: 'neurolip',
      epochs: 1,
      patience: 1,
      d: 8,
      heads: 2,
      batchSize: 32,
    });

    const maps = await api.brain.maps({ runId });
    const tokens = maps.groupTokens.map((t) => t.id);
    expect(tokens).toEqual(expect.arrayContaining(['dx:autism', 'dx:control', 'sex:female', 'sex:male', 'contrast']));
    expect(tokens.filter((id) => id.startsWith('site:'))).toEqual([]);
    expect(Object.keys(maps.overlap)).toEqual(['sex', 'ageGroup']);
    expect(Object.values(maps.groupMaps).every((map) => map.length === 12 && map.every(Number.isFinite))).toBe(true);
    const summary = (await api.runs.result({ runId })) as { maps: { topRois: Record<string, unknown> } };
    expect(Object.keys(summary.maps.topRois).filter((token) => token.startsWith('site:'))).toEqual([]);

    // Runs trained before the fix stored each site's map and the site overlap as nulls (NaN in JSON).
    core.store.db
      .prepare(
        `UPDATE metrics SET detail = json_set(detail, '$.maps.groups."site:ALPHA"', json(?), '$.maps.overlap.site', json('null'))
         WHERE run_id = ? AND scope = 'run' AND name = 'summary'`,
      )
      .run(JSON.stringify(Array.from({ length: 12 }, () => null)), runId);
    const legacy = await api.brain.maps({ runId });
    expect(legacy.groupTokens.map((t) => t.id)).toEqual(tokens);
    expect(legacy.overlap).toEqual(maps.overlap);
  }, 120_000);

  it('says why a run without token attention has no maps', async () => {
    const core = testCore();
    const api = caller({ core });
    const runId = await trainedDemoRun(core, { subjects: 40, rois: 10, timePoints: 80, seed: 6 }, 'kfold5', { variant: 'logreg-fc' });
    await expect(api.brain.maps({ runId })).rejects.toThrow(
      `Run ${runId} has no attention maps (its variant has no token attention; train a NeuroLIP variant).`,
    );
  }, 60_000);

  it('serves the default glass brain and refuses a malformed GIfTI', async () => {
    const api = caller({ core: testCore() });
    const surface = await api.brain.surface({});
    expect(surface.vertices).toHaveLength(5124 * 3);
    const bad = join(tempDir(), 'bad.surf.gii');
    writeFileSync(bad, '<GIFTI><DataArray>');
    await expect(api.brain.surface({ path: bad })).rejects.toThrow(/^bad\.surf\.gii, line 1: not valid GIfTI XML/);
  });
});
