import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '../model/tf';
import { SeededRandom } from '../synth/random';
import { selectBackend } from '../tf/backend';
import type { CohortData } from './cohortData';
import { FoldInputs } from './foldInputs';
import { tangentConnectivity } from './tangentConnectivity';
import { windowConnectivity } from './timeWindows';

beforeAll(async () => {
  await selectBackend('wasm');
});

const R = 4;

/** N subjects with symmetric random matrices (zero diagonal); sites A (6 subjects) and B (the rest, offset by +2). */
function cohort(n: number): CohortData {
  const random = new SeededRandom(9);
  const fc = new Float32Array(n * R * R);
  const site = Array.from({ length: n }, (_, s) => (s < 6 ? 'A' : 'B'));
  for (let s = 0; s < n; s += 1)
    for (let i = 0; i < R; i += 1)
      for (let j = i + 1; j < R; j += 1) {
        const v = random.normal() + (site[s] === 'B' ? 2 : 0);
        fc[s * R * R + i * R + j] = v;
        fc[s * R * R + j * R + i] = v;
      }
  return {
    cohortId: 1,
    subjectIds: Array.from({ length: n }, (_, i) => i + 1),
    externalIds: Array.from({ length: n }, (_, i) => `s${i}`),
    rois: R,
    fc,
    missing: new Uint8Array(n * R),
    dx: Int32Array.from({ length: n }, (_, i) => i % 2),
    motion: new Float64Array(n).fill(Number.NaN),
    labels: { control: 'control', patient: 'patient' },
    attributes: { site },
    groundTruth: null,
    roiLabels: [],
  };
}

const NO_ADJUSTMENT = {
  covariateAdjustment: 'none' as const,
  sensitive: [],
  timeWindow: 1,
  connectomeComponents: 0,
  connectomeMeasure: 'correlation' as const,
};

const edge = (values: ArrayLike<number>, s: number, i: number, j: number): number => values[s * R * R + i * R + j]!;

describe('fold inputs', () => {
  it('z-scores each connection with the training subjects only', () => {
    const data = cohort(12);
    const fit = [0, 1, 2, 3, 6, 7, 8, 9];
    const config = { inputNorm: 'edgeZ' as const, regionNorm: 'same' as const, globalToken: false, ...NO_ADJUSTMENT };
    const everyone = data.subjectIds.map((_, i) => i);
    const out = new FoldInputs(data, fit, config).batch(everyone).fc.dataSync();
    const values = fit.map((s) => edge(out, s, 0, 1));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeCloseTo(0, 5);
    expect(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length).toBeCloseTo(1, 4);
    expect(edge(out, 0, 1, 1)).toBe(0);
    const changed = { ...data, fc: Float32Array.from(data.fc) };
    changed.fc[11 * R * R + 1] = 100;
    const again = new FoldInputs(changed, fit, config).batch(everyone).fc.dataSync();
    expect(edge(again, 0, 0, 1)).toBe(edge(out, 0, 0, 1));
  });

  it('z-scores within each site, which removes the site offset', () => {
    const data = cohort(12);
    const inputs = new FoldInputs(data, [0, 1, 2], { inputNorm: 'siteZ', regionNorm: 'same', globalToken: false, ...NO_ADJUSTMENT });
    const { fc, edges } = inputs.batch(data.subjectIds.map((_, i) => i));
    const values = fc.dataSync();
    for (const members of [
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]) {
      const site = members.map((s) => edge(values, s, 2, 3));
      expect(site.reduce((a, b) => a + b, 0) / site.length).toBeCloseTo(0, 5);
    }
    expect(edges).toBeNull();
    fc.dispose();
  });

  it('names the statistics that centred each subject on its own group: one per site under siteZ, one for all under edgeZ, none raw', () => {
    const data = cohort(12);
    const centring = (inputNorm: 'siteZ' | 'edgeZ' | 'none', fit = [0, 1, 2, 3, 4, 6, 7, 8, 9, 10]) =>
      Array.from(
        new FoldInputs(data, fit, { inputNorm, regionNorm: 'same', globalToken: true, ...NO_ADJUSTMENT }).edgeCentring([7, 0, 11, 3]),
      );
    expect(centring('siteZ')).toEqual([0, 1, 0, 1]);
    expect(centring('edgeZ')).toEqual([0, 0, 0, 0]);
    expect(centring('none')).toEqual([-1, -1, -1, -1]);
    // Site B has 2 training subjects, too few for statistics of its own: it borrows, and is not centred again.
    expect(centring('siteZ', [0, 1, 2, 3, 4, 6, 7])).toEqual([-1, 0, -1, 0]);
  });

  it('names the sites held out of training with enough subjects here (the unseen sites), whatever the scaling', () => {
    const data = cohort(14);
    data.attributes.site![13] = null;
    const unseen = (fit: number[], subjects: number[], inputNorm: 'siteZ' | 'none' = 'siteZ') =>
      Array.from(new FoldInputs(data, fit, { inputNorm, regionNorm: 'same', globalToken: false, ...NO_ADJUSTMENT }).unseenSites(subjects));
    // Leave-one-site-out: B (7 with a site) is held out; A trains.
    const b = [6, 7, 8, 9, 10, 11, 12, 13];
    expect(unseen([0, 1, 2, 3, 4, 5], b)).toEqual([0, 0, 0, 0, 0, 0, 0, -1]);
    expect(unseen([0, 1, 2, 3, 4, 5], b, 'none')).toEqual([0, 0, 0, 0, 0, 0, 0, -1]);
    // B with 4 training subjects is still unseen; with 5 it is seen (A, with its 6, is seen here).
    expect(unseen([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [6, 7, 8, 9, 10, 11, 12, 0])).toEqual([0, 0, 0, 0, 0, 0, 0, -1]);
    expect(unseen([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [6, 7, 8, 9, 10, 11, 12, 0])).toEqual([-1, -1, -1, -1, -1, -1, -1, -1]);
    expect(unseen([0, 1, 6, 7, 8, 9, 10], [0, 1, 2, 3, 4, 5, 11, 12, 13])).toEqual([0, 0, 0, 0, 0, 0, -1, -1, -1]);
    // Both held out: one index per site.
    expect(unseen([0, 6], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13])).toEqual([0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, -1]);
    // Fewer than 5 of its subjects here: not centred on so few.
    expect(unseen([0, 1, 2, 3, 4, 5], [6, 7, 8, 9])).toEqual([-1, -1, -1, -1]);
    const withoutSites = { ...data, attributes: {} };
    expect(
      Array.from(
        new FoldInputs(withoutSites, [0, 1, 2], {
          inputNorm: 'edgeZ',
          regionNorm: 'same',
          globalToken: false,
          ...NO_ADJUSTMENT,
        }).unseenSites([6, 7]),
      ),
    ).toEqual([-1, -1]);
  });

  it("scales a site seen in training with its training subjects' statistics, so its test subjects' values do not enter them", () => {
    const data = cohort(14);
    const fit = [0, 1, 6, 7, 8, 9, 10];
    const config = { inputNorm: 'siteZ' as const, regionNorm: 'same' as const, globalToken: false, ...NO_ADJUSTMENT };
    const everyone = data.subjectIds.map((_, i) => i);
    const values = new FoldInputs(data, fit, config).batch(everyone).fc.dataSync();
    const seenB = [6, 7, 8, 9, 10].map((s) => edge(values, s, 0, 2));
    expect(seenB.reduce((a, b) => a + b, 0) / seenB.length).toBeCloseTo(0, 5);
    const unseenB = [11, 12, 13].map((s) => edge(values, s, 0, 2));
    expect(Math.abs(unseenB.reduce((a, b) => a + b, 0) / unseenB.length)).toBeGreaterThan(0.01);
    const siteA = [0, 1, 2, 3, 4, 5].map((s) => edge(values, s, 0, 2));
    expect(siteA.reduce((a, b) => a + b, 0) / siteA.length).toBeCloseTo(0, 5);
    const changed = { ...data, fc: Float32Array.from(data.fc) };
    changed.fc[12 * R * R + 2] = 50;
    const again = new FoldInputs(changed, fit, config).batch(everyone).fc.dataSync();
    expect(edge(again, 6, 0, 2)).toBe(edge(values, 6, 0, 2));
    expect(edge(again, 13, 0, 2)).toBe(edge(values, 13, 0, 2));
  });

  it('gives the region tokens their own input with regionNorm: raw rows next to site-z-scored edges', () => {
    const data = cohort(12);
    const inputs = new FoldInputs(data, [0, 1, 2], { inputNorm: 'siteZ', regionNorm: 'none', globalToken: true, ...NO_ADJUSTMENT });
    const { fc, edges } = inputs.batch([7]);
    expect(Array.from(fc.dataSync())).toEqual(Array.from(data.fc.subarray(7 * R * R, 8 * R * R)));
    const siteZ = new FoldInputs(data, [0, 1, 2], { inputNorm: 'siteZ', regionNorm: 'same', globalToken: false, ...NO_ADJUSTMENT }).batch([
      7,
    ]);
    const zRow = siteZ.fc.dataSync();
    expect(Array.from(edges!.dataSync()).slice(0, 3)).toEqual([zRow[1], zRow[2], zRow[3]]);
    tf.dispose([fc, edges!, siteZ.fc]);
  });

  it("matches every site's connections to the training subjects' pooled mean and SD with regionNorm siteMatched", () => {
    const data = cohort(12);
    const fit = [0, 1, 2, 3, 6, 7, 8, 9];
    const inputs = new FoldInputs(data, fit, { inputNorm: 'siteZ', regionNorm: 'siteMatched', globalToken: true, ...NO_ADJUSTMENT });
    const { fc, edges } = inputs.batch(data.subjectIds.map((_, i) => i));
    const values = fc.dataSync();
    const stats = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { mean, sd: Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length) };
    };
    const pool = stats(fit.map((s) => edge(data.fc, s, 1, 3)));
    for (const members of [
      [0, 1, 2, 3, 4, 5],
      [6, 7, 8, 9, 10, 11],
    ]) {
      const site = stats(members.map((s) => edge(values, s, 1, 3)));
      expect(site.mean).toBeCloseTo(pool.mean, 4);
      expect(site.sd).toBeCloseTo(pool.sd, 4);
      const raw = members.map((s) => edge(data.fc, s, 1, 3));
      const rawStats = stats(raw);
      members.forEach((s, k) =>
        expect(edge(values, s, 1, 3)).toBeCloseTo(((raw[k]! - rawStats.mean) / rawStats.sd) * pool.sd + pool.mean, 4),
      );
    }
    expect(edge(values, 4, 2, 2)).toBe(0);
    const siteZ = new FoldInputs(data, fit, { inputNorm: 'siteZ', regionNorm: 'same', globalToken: true, ...NO_ADJUSTMENT }).batch([4]);
    expect(Array.from(edges!.dataSync().subarray(4 * 6, 5 * 6))).toEqual(Array.from(siteZ.edges!.dataSync()));
    tf.dispose([fc, edges!, siteZ.fc, siteZ.edges!]);
  });

  it("gives the connectome token the tangent-space connectivity at the fitted subjects' mean, site-z-scored, and the region tokens the correlations", () => {
    const data = cohort(12);
    const fit = [0, 1, 2, 3, 6, 7, 8, 9];
    const everyone = data.subjectIds.map((_, i) => i);
    const config = { inputNorm: 'siteZ' as const, regionNorm: 'none' as const, globalToken: true, ...NO_ADJUSTMENT };
    const tangent = new FoldInputs(data, fit, { ...config, connectomeMeasure: 'tangent' }).batch(everyone);
    const correlation = new FoldInputs(data, fit, config).batch(everyone);
    expect(Array.from(tangent.fc.dataSync())).toEqual(Array.from(correlation.fc.dataSync()));
    const measured = tangentConnectivity(data.fc, R, fit);
    const edges = tangent.edges!.dataSync();
    const scaledOnFit = new FoldInputs({ ...data, fc: measured }, fit, config).batch(everyone).edges!.dataSync();
    expect(Array.from(edges)).toEqual(Array.from(scaledOnFit));
    expect(Array.from(edges)).not.toEqual(Array.from(correlation.edges!.dataSync()));
    // Site A has too few fitted subjects (4) to be scaled on them alone, so on all 6 of its own: mean 0.
    expect([0, 1, 2, 3, 4, 5].reduce((sum, s) => sum + edges[s * 6]!, 0)).toBeCloseTo(0, 4);
    tf.dispose([tangent.fc, tangent.edges!, correlation.fc, correlation.edges!]);
  });

  it('gives the whole-connectome token the upper triangles, row by row', () => {
    const data = cohort(8);
    const inputs = new FoldInputs(data, [0, 1, 2, 3], { inputNorm: 'none', regionNorm: 'same', globalToken: true, ...NO_ADJUSTMENT });
    const { fc, edges } = inputs.batch([5, 2]);
    expect(fc.shape).toEqual([2, R, R]);
    expect(edges!.shape).toEqual([2, 6]);
    const row = Array.from(edges!.dataSync()).slice(0, 6);
    const expected = [
      edge(data.fc, 5, 0, 1),
      edge(data.fc, 5, 0, 2),
      edge(data.fc, 5, 0, 3),
      edge(data.fc, 5, 1, 2),
      edge(data.fc, 5, 1, 3),
      edge(data.fc, 5, 2, 3),
    ];
    row.forEach((v, k) => expect(v).toBe(expected[k]));
    tf.dispose([fc, edges!]);
  });

  it("recomputes a training batch from random time windows, scaled with the stored matrices' site statistics", () => {
    const data = cohort(12);
    const random = new SeededRandom(5);
    const scans = data.subjectIds.map((_, s) =>
      s === 9 ? null : { timePoints: 60, values: Float32Array.from({ length: 60 * R }, () => random.normal()) },
    );
    const withSeries: CohortData = { ...data, series: scans };
    const config = { inputNorm: 'siteZ' as const, regionNorm: 'none' as const, globalToken: true, ...NO_ADJUSTMENT, timeWindow: 0.5 };
    const inputs = new FoldInputs(withSeries, [0, 1, 2, 6, 7], config);
    const { fc, edges } = inputs.batch([7, 9], new SeededRandom(11));
    const window = Array.from(windowConnectivity(scans[7]!, R, 0.5, new SeededRandom(11)));
    const values = fc.dataSync();
    expect(Array.from(values.subarray(0, R * R))).toEqual(window);
    // Subject 7's site (B: subjects 6-11) scales its window's edge (0, 1) with the stored matrices' mean and SD.
    const stored = [6, 7, 8, 9, 10, 11].map((s) => edge(data.fc, s, 0, 1));
    const mean = stored.reduce((a, b) => a + b, 0) / stored.length;
    const sd = Math.sqrt(stored.reduce((a, b) => a + (b - mean) ** 2, 0) / stored.length);
    const rows = edges!.dataSync();
    expect(rows[0]).toBeCloseTo((window[1]! - mean) / sd, 5);
    // Subject 9 has no time series: its stored matrix is used.
    expect(Array.from(values.subarray(R * R))).toEqual(Array.from(data.fc.subarray(9 * R * R, 10 * R * R)));
    // Without the random source (validation, prediction) every subject gets its stored matrix.
    const plain = inputs.batch([7]);
    expect(Array.from(plain.fc.dataSync())).toEqual(Array.from(data.fc.subarray(7 * R * R, 8 * R * R)));
    tf.dispose([fc, edges!, plain.fc, plain.edges!]);
  });

  it('regresses the sensitive attributes out of every connection when asked, keeping the diagnosis', () => {
    const n = 40;
    const random = new SeededRandom(4);
    const dx = Int32Array.from({ length: n }, (_, i) => (i % 4 < 2 ? 1 : 0));
    const sex = Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 'F' : 'M'));
    const fc = new Float32Array(n * R * R);
    for (let s = 0; s < n; s += 1)
      for (let k = 0; k < R * R; k += 1) fc[s * R * R + k] = 2 * dx[s]! + (sex[s] === 'F' ? 3 : 0) + 0.1 * random.normal();
    const data: CohortData = { ...cohort(n), fc, dx, attributes: { site: cohort(n).attributes.site!, sex } };
    const fit = Array.from({ length: 32 }, (_, i) => i);
    const adjusted = new FoldInputs(data, fit, {
      inputNorm: 'none',
      regionNorm: 'same',
      globalToken: false,
      connectomeMeasure: 'correlation',
      covariateAdjustment: 'sensitive',
      sensitive: ['sex'],
      timeWindow: 1,
      connectomeComponents: 0,
    });
    const values = adjusted.batch(data.subjectIds.map((_, i) => i)).fc.dataSync();
    const mean = (members: number[]): number => members.reduce((sum, s) => sum + edge(values, s, 1, 2), 0) / members.length;
    const group = (d: number, x: string): number[] => data.subjectIds.map((_, i) => i).filter((i) => dx[i] === d && sex[i] === x);
    expect(mean(group(0, 'F')) - mean(group(0, 'M'))).toBeCloseTo(0, 1);
    expect(mean(group(1, 'F')) - mean(group(1, 'M'))).toBeCloseTo(0, 1);
    expect(mean(group(1, 'M')) - mean(group(0, 'M'))).toBeCloseTo(2, 1);
    // 'site' moves only what the site explains (here nothing): the sex difference stays.
    const siteOnly = new FoldInputs(
      { ...data, attributes: { ...data.attributes, site: sex.map((_, i) => (i % 3 === 0 ? 'A' : 'B')) } },
      fit,
      {
        inputNorm: 'none',
        regionNorm: 'same',
        globalToken: false,
        connectomeMeasure: 'correlation',
        covariateAdjustment: 'site',
        sensitive: ['sex'],
        timeWindow: 1,
        connectomeComponents: 0,
      },
    );
    const siteValues = siteOnly.batch(data.subjectIds.map((_, i) => i)).fc.dataSync();
    const siteMean = (members: number[]): number => members.reduce((sum, s) => sum + edge(siteValues, s, 1, 2), 0) / members.length;
    expect(siteMean(group(0, 'F')) - siteMean(group(0, 'M'))).toBeCloseTo(3, 0);
    // Only the training subjects' labels count: relabelling a test subject changes nothing.
    const relabelled = new FoldInputs({ ...data, dx: Int32Array.from(dx, (d, i) => (i === 35 ? 1 - d : d)) }, fit, {
      inputNorm: 'none',
      regionNorm: 'same',
      globalToken: false,
      connectomeMeasure: 'correlation',
      covariateAdjustment: 'sensitive',
      sensitive: ['sex'],
      timeWindow: 1,
      connectomeComponents: 0,
    });
    expect(Array.from(relabelled.batch([35]).fc.dataSync())).toEqual(Array.from(values.subarray(35 * R * R, 36 * R * R)));
    // A subject with no value is not moved, and one among the training subjects spoils nothing.
    const missing = new FoldInputs(
      { ...data, attributes: { ...data.attributes, sex: sex.map((x, i) => (i === 38 || i === 3 ? null : x)) } },
      fit,
      {
        inputNorm: 'none',
        regionNorm: 'same',
        globalToken: false,
        connectomeMeasure: 'correlation',
        covariateAdjustment: 'sensitive',
        sensitive: ['sex'],
        timeWindow: 1,
        connectomeComponents: 0,
      },
    );
    expect(Array.from(missing.batch([38]).fc.dataSync())).toEqual(Array.from(fc.subarray(38 * R * R, 39 * R * R)));
    expect(
      missing
        .batch(data.subjectIds.map((_, i) => i))
        .fc.dataSync()
        .every(Number.isFinite),
    ).toBe(true);
  });
});
