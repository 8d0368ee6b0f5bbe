import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempDir } from '../../test-support/tempDir';
import { CohortRepository } from '../store/cohortRepository';
import { float32FromBlob } from '../store/blobs';
import { ProjectStore } from '../store/projectStore';
import { importDemoCohort } from './demoCohort';
import { SeededRandom } from './random';
import { writeSyntheticCohort } from './syntheticCohort';

describe('synthetic cohort', () => {
  const tempDir = useTempDir();

  it('is the same for the same seed, and different for another', () => {
    const options = { subjects: 12, rois: 40, timePoints: 60, seed: 3 };
    const a = tempDir();
    const b = tempDir();
    const c = tempDir();
    writeSyntheticCohort(a, options);
    writeSyntheticCohort(b, options);
    writeSyntheticCohort(c, { ...options, seed: 4 });
    const first = readdirSync(a).find((name) => name.endsWith('.1D'))!;
    expect(readFileSync(join(b, first), 'utf8')).toBe(readFileSync(join(a, first), 'utf8'));
    expect(readFileSync(join(a, 'phenotype.csv'), 'utf8')).not.toBe(readFileSync(join(c, 'phenotype.csv'), 'utf8'));
  });

  it('plants its effects: lower P_dx correlation in patients, higher P_sex correlation in females', async () => {
    const store = ProjectStore.open(join(tempDir(), 'demo.neurolip'));
    try {
      const demo = await importDemoCohort(store, { subjects: 120, rois: 60, timePoints: 150, seed: 1 }, { workers: 0 });
      expect(demo.truth.pDx).toHaveLength(6);
      expect(demo.truth.pDx.some((r) => demo.truth.pSex.includes(r))).toBe(false);
      const subjects = new CohortRepository(store.db).subjects(demo.cohortId);
      expect(subjects.length).toBe(120);
      const male = subjects.filter((s) => s.sex === 'male').length / subjects.length;
      expect(male).toBeGreaterThan(0.55);
      expect(male).toBeLessThan(0.9);

      const within = (set: number[], where: string): number => {
        const rows = store.db
          .prepare(`SELECT f.matrix FROM connectivity f JOIN subjects s ON s.id = f.subject_id WHERE s.cohort_id = ? AND ${where}`)
          .all(demo.cohortId) as { matrix: Buffer }[];
        let sum = 0;
        let n = 0;
        for (const row of rows) {
          const m = float32FromBlob(row.matrix);
          for (const i of set) {
            for (const j of set) {
              if (i >= j) continue;
              sum += m[i * 60 + j]!;
              n += 1;
            }
          }
        }
        return sum / n;
      };
      const patient = "json_extract(s.phenotype, '$.diagnosis') = 'autism'";
      const control = "json_extract(s.phenotype, '$.diagnosis') = 'control'";
      expect(within(demo.truth.pDx, control) - within(demo.truth.pDx, patient)).toBeGreaterThan(0.05);
      const female = "json_extract(s.phenotype, '$.sex') = 'female'";
      const maleWhere = "json_extract(s.phenotype, '$.sex') = 'male'";
      expect(within(demo.truth.pSex, female) - within(demo.truth.pSex, maleWhere)).toBeGreaterThan(0.1);

      const again = await importDemoCohort(store, { subjects: 120, rois: 60, timePoints: 150, seed: 1 }, { workers: 0 });
      expect(again.cohortId).toBe(demo.cohortId);
      expect(again.summary).toBeNull();
    } finally {
      store.close();
    }
  });
});

describe('SeededRandom', () => {
  it('repeats for a seed and has roughly standard normals', () => {
    const a = new SeededRandom(7);
    const b = new SeededRandom(7);
    expect(Array.from({ length: 5 }, () => a.next())).toEqual(Array.from({ length: 5 }, () => b.next()));
    const r = new SeededRandom(1);
    const draws = Array.from({ length: 20000 }, () => r.normal());
    const mean = draws.reduce((s, x) => s + x, 0) / draws.length;
    const variance = draws.reduce((s, x) => s + (x - mean) ** 2, 0) / draws.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(r.permutation(10).sort((x, y) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});
