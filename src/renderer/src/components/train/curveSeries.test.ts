import { describe, expect, it } from 'vitest';
import type { EpochPoint } from '../../../../shared/api';
import { curveSeries, mergeEpochPoints } from './curveSeries';
import { repeatSeeds } from './presets';

const point = (fold: number, epoch: number, valAuc: number | null, terms: Record<string, number>): EpochPoint => ({
  fold,
  epoch,
  seconds: 1,
  valAuc,
  terms,
});

describe('training curve series', () => {
  it('averages each loss term and gate over the folds that reached the epoch, and keeps validation AUC per fold', () => {
    const curves = curveSeries([
      point(1, 0, 0.6, { loss: 2, L_dx: 1, L_embedding: 0.5, L_sex: 0.6, L_dis: 0.2, L_dx_ttca: 0.5, gate_sex: 1 }),
      point(0, 0, 0.5, { loss: 4, L_dx: 3, L_embedding: 0.7, L_sex: 0.8, L_dis: 0.4, L_dx_ttca: 0.9, gate_sex: 0 }),
      point(0, 1, 0.7, { loss: 3, L_dx: 2, L_embedding: 0.6, L_sex: 0.7, L_dis: Number.NaN, L_dx_ttca: 0.8, gate_sex: 0.5 }),
    ]);
    expect(curves.epochs).toBe(2);
    expect(curves.lossTerms).toEqual([
      { label: 'total loss', data: [3, 3] },
      { label: 'L_dx', data: [2, 2] },
      { label: 'L_dx_ttca', data: [0.7, 0.8] },
      { label: 'L_sex', data: [0.7, 0.7] },
      { label: 'L_embedding', data: [expect.closeTo(0.6, 12), 0.6] },
      { label: 'L_dis', data: [expect.closeTo(0.3, 12), null] },
    ]);
    expect(curves.gates).toEqual([{ label: 'sex', data: [0.5, 0.5] }]);
    expect(curves.valAuc).toEqual([
      { label: 'fold 1', data: [0.5, 0.7] },
      { label: 'fold 2', data: [0.6, null] },
    ]);
    expect(curveSeries([])).toEqual({ epochs: 0, lossTerms: [], gates: [], valAuc: [] });
  });

  it('merges stored and streamed epochs, the streamed one winning for the same fold and epoch', () => {
    const stored = [point(0, 0, 0.5, { loss: 1 }), point(0, 1, 0.6, { loss: 0.9 })];
    const streamed = [point(0, 1, 0.6, { loss: 0.9 }), point(0, 2, 0.7, { loss: 0.8 })];
    expect(mergeEpochPoints(stored, streamed).map((p) => [p.fold, p.epoch])).toEqual([
      [0, 0],
      [0, 1],
      [0, 2],
    ]);
  });

  it('gives the seeds of repeated runs, or none for a repeat count out of range', () => {
    expect(repeatSeeds(0, 3)).toEqual([0, 1, 2]);
    expect(repeatSeeds(7, 1)).toEqual([7]);
    expect(repeatSeeds(0, 0)).toEqual([]);
    expect(repeatSeeds(0, 2.5)).toEqual([]);
    expect(repeatSeeds(0, 11)).toEqual([]);
  });
});
