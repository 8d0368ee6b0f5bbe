import { beforeAll, describe, expect, it } from 'vitest';
import { useTestCore } from '../../test-support/testCore';
import { appRouter } from '../api/router';
import { createCallerFactory } from '../api/trpc';
import { TrainConfig } from '../model/trainConfig';
import { float32FromBlob, toBlob } from '../store/blobs';
import { importDemoCohort } from '../synth/demoCohort';
import { selectBackend } from '../tf/backend';
import { loadCohortData, withMeasuredMotion } from './cohortData';

const caller = createCallerFactory(appRouter);

beforeAll(async () => {
  await selectBackend('wasm');
});

describe('motion adjustment', () => {
  const testCore = useTestCore();

  it("takes head motion out of a run's scores, so that they no longer follow it within each diagnosis", async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 200, rois: 12, timePoints: 80, seed: 3 }, { workers: 0 });
    const db = core.store.db;
    // As in ABIDE, the patients move more, and motion shifts every connection.
    const subjects = db
      .prepare('SELECT s.id, s.phenotype, s.qc, f.matrix FROM subjects s JOIN connectivity f ON f.subject_id = s.id')
      .all() as {
      id: number;
      phenotype: string;
      qc: string;
      matrix: Buffer;
    }[];
    const setQc = db.prepare('UPDATE subjects SET qc = ? WHERE id = ?');
    const setMatrix = db.prepare('UPDATE connectivity SET matrix = ? WHERE subject_id = ?');
    for (const subject of subjects) {
      const qc = JSON.parse(subject.qc) as { meanFd: number };
      const patient = (JSON.parse(subject.phenotype) as { diagnosis: string }).diagnosis !== 'control';
      const meanFd = 3 * qc.meanFd + (patient ? 0.05 : 0);
      const matrix = float32FromBlob(subject.matrix);
      for (let k = 0; k < matrix.length; k += 1) matrix[k]! += 10 * meanFd;
      setQc.run(JSON.stringify({ ...qc, meanFd }), subject.id);
      setMatrix.run(toBlob(matrix), subject.id);
    }

    const motionRho = async (config: Record<string, unknown>): Promise<number[]> => {
      const job = await api.runs.train({ cohortId: demo.cohortId, protocol: 'kfold5', config });
      const settled = await core.jobs.settled(job.id);
      expect(settled?.state, settled?.error ?? '').toBe('done');
      const checks = await api.runs.confounds({ runId: (settled!.result as { run: number }).run });
      return checks.find((check) => check.variable === 'meanFd')!.groups.map((group) => group.rho!);
    };
    // Within the controls and within the patients, the scores follow motion; adjusted, clearly less.
    const expectLess = async (
      config: Record<string, unknown>,
      remedy: 'motionAdjustment' | 'motionErasure' = 'motionAdjustment',
      following = 0.25,
    ): Promise<void> => {
      const left = await motionRho({ ...config, [remedy]: false });
      const adjusted = await motionRho({ ...config, [remedy]: true });
      left.forEach((rho, k) => {
        expect(rho).toBeGreaterThan(following);
        expect(Math.abs(adjusted[k]!)).toBeLessThan(Math.min(0.3, rho - 0.1));
      });
    };
    await expectLess({ variant: 'logreg-fc' });
    // The default network: its linear member's cross-fitted scores give the slope, after the group
    // offsets. With the default 'rates' offsets this three-epoch model's patients follow motion less
    // (rho 0.23) and the slope over-corrects them (-0.16), as the linear member's slope does on this
    // small cohort (docs/model.md, twenty-eighth round); the 'means' offsets leave the following that
    // this test needs to show the slope's effect.
    await expectLess({
      variant: 'neurolip',
      epochs: 3,
      patience: 3,
      d: 8,
      heads: 2,
      batchSize: 32,
      motionErasure: false,
      offsetCriterion: 'means',
    });
    // The attention model alone has no readout to estimate a slope on: motion is erased from its
    // embedding instead. Trained for three epochs it hardly follows motion, so it trains for twelve.
    await expectLess({ variant: 'neurolip', ensemble: 1, epochs: 12, patience: 12, d: 8, heads: 2, batchSize: 32 }, 'motionErasure', 0.15);
  }, 300_000);

  it("loads each subject's head motion; without any, a run is trained unadjusted and says so; a single attention model is refused", async () => {
    const core = testCore();
    const api = caller({ core });
    const demo = await importDemoCohort(core.store, { subjects: 30, rois: 10, timePoints: 60, seed: 4 }, { workers: 0 });
    const db = core.store.db;
    const stored = db.prepare('SELECT external_id AS id, qc FROM subjects ORDER BY external_id').all() as { id: string; qc: string }[];
    const data = loadCohortData(db, demo.cohortId);
    expect(data.externalIds).toEqual(stored.map((row) => row.id));
    expect(Array.from(data.motion)).toEqual(stored.map((row) => (JSON.parse(row.qc) as { meanFd: number }).meanFd));
    const asked = TrainConfig.parse({ variant: 'logreg-fc', motionAdjustment: true });
    expect(withMeasuredMotion(db, demo.cohortId, asked).motionAdjustment).toBe(true);

    db.prepare("UPDATE subjects SET qc = json_set(qc, '$.meanFd', json('null')) WHERE external_id = ?").run(stored[0]!.id);
    expect(Number.isNaN(loadCohortData(db, demo.cohortId).motion[0])).toBe(true);
    expect(withMeasuredMotion(db, demo.cohortId, asked).motionAdjustment).toBe(true);
    db.prepare("UPDATE subjects SET qc = json_set(qc, '$.meanFd', json('null'))").run();
    expect(loadCohortData(db, demo.cohortId).motion.every(Number.isNaN)).toBe(true);
    expect(withMeasuredMotion(db, demo.cohortId, TrainConfig.parse({ variant: 'neurolip', motionErasure: true }))).toMatchObject({
      motionAdjustment: false,
      motionErasure: false,
    });
    const job = await api.runs.train({
      cohortId: demo.cohortId,
      protocol: 'kfold5',
      config: { variant: 'logreg-fc', motionAdjustment: true },
    });
    const settled = await core.jobs.settled(job.id);
    expect(settled?.state, settled?.error ?? '').toBe('done');
    const run = await api.runs.result({ runId: (settled!.result as { run: number }).run });
    expect(run.config?.motionAdjustment).toBe(false);

    // The networks estimate the slope on a readout fitted first, which a single attention model lacks:
    // asked for, it is refused; as the variant's default, it is dropped (the Quick-look preset).
    const refused = TrainConfig.safeParse({ variant: 'neurolip', ensemble: 1, motionAdjustment: true });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({
      path: ['motionAdjustment'],
      message: expect.stringMatching(/needs a member whose connectome readout is fitted first/),
    });
    expect(TrainConfig.parse({ variant: 'neurolip', ensemble: 1 }).motionAdjustment).toBe(false);
    expect(TrainConfig.parse({ variant: 'neurolip' }).motionAdjustment).toBe(true);
    expect(TrainConfig.parse({ variant: 'logreg-fc' }).motionAdjustment).toBe(false);
  }, 60_000);

  it('erases motion only from an embedding that the prediction reads, and not where the cohort has no motion', () => {
    // A connectome token learnt as a logit by gradient descent is outside the embedding the erasure acts on.
    const learntLogit = { variant: 'neurolip', ensemble: 1, globalToken: true, connectomeReadout: 'logit', connectomeOptimiser: 'adamw' };
    const refused = TrainConfig.safeParse({ ...learntLogit, motionErasure: true });
    expect(refused.success).toBe(false);
    expect(refused.error!.issues[0]).toMatchObject({ path: ['motionErasure'], message: expect.stringMatching(/^embedding erasure needs/) });
    expect(TrainConfig.parse({ ...learntLogit, motionErasure: false }).motionErasure).toBe(false);
    expect(TrainConfig.parse({ variant: 'neurolip', ensemble: 1, motionErasure: true }).motionErasure).toBe(true);
  });
});
