import { describe, expect, it } from 'vitest';
import { fitLogistic } from '../eval/logisticRegression';
import { auc } from '../eval/metrics';
import { SeededRandom } from '../synth/random';
import type { CohortData } from './cohortData';
import { leakageProbe } from './leakageProbes';

const N = 120;
const SITES = ['A', 'B', 'C', 'D'];
const WIDTH = 6;

/** N subjects, sexes and four sites in turn, with one subject's sex missing; only the attributes matter to the probes. */
function cohort(): CohortData {
  return {
    cohortId: 1,
    subjectIds: Array.from({ length: N }, (_, i) => i + 1),
    externalIds: Array.from({ length: N }, (_, i) => String(i + 1)),
    rois: 2,
    fc: new Float32Array(N * 4),
    missing: new Uint8Array(N * 2),
    dx: Int32Array.from({ length: N }, (_, i) => i % 2),
    motion: new Float64Array(N).fill(Number.NaN),
    labels: { control: 'control', patient: 'patient' },
    attributes: {
      sex: Array.from({ length: N }, (_, i) => (i === 7 ? null : i % 3 === 0 ? 'female' : 'male')),
      site: Array.from({ length: N }, (_, i) => SITES[i % 4]!),
    },
    groundTruth: null,
    roiLabels: [],
  };
}

/** Embeddings of width 6: noise, plus (where `encode` says) a signal of each subject's site in dimension 0 to 3. */
function embeddings(subjects: number[], data: CohortData, random: SeededRandom, encode: boolean): Float32Array {
  const out = new Float32Array(subjects.length * WIDTH);
  subjects.forEach((s, k) => {
    for (let f = 0; f < WIDTH; f += 1) out[k * WIDTH + f] = random.normal();
    const at = k * WIDTH + SITES.indexOf(data.attributes.site![s]!);
    if (encode) out[at] = out[at]! + 3;
  });
  return out;
}

describe('leakage probes', () => {
  const data = cohort();
  const train = Array.from({ length: 80 }, (_, i) => i);
  const test = Array.from({ length: 40 }, (_, i) => 80 + i);

  it('reads a site written into the embeddings (one site against the rest, mean over sites), and not one that is not', () => {
    const random = new SeededRandom(2);
    const encoded = leakageProbe(data, 'site', train, embeddings(train, data, random, true), test, embeddings(test, data, random, true));
    const blind = leakageProbe(data, 'site', train, embeddings(train, data, random, false), test, embeddings(test, data, random, false));
    expect(encoded).toBeGreaterThan(0.9);
    expect(blind).toBeGreaterThan(0.3);
    expect(blind).toBeLessThan(0.7);
  });

  it('is the mean of the per-site one-against-the-rest AUCs', () => {
    const random = new SeededRandom(3);
    const trainX = embeddings(train, data, random, true);
    const testX = embeddings(test, data, random, true);
    const perSite = SITES.map((site) => {
      const y = test.map((s) => (data.attributes.site![s] === site ? 1 : 0));
      const model = fitLogistic(
        trainX,
        train.map((s) => (data.attributes.site![s] === site ? 1 : 0)),
        WIDTH,
      );
      return auc(y, model.predict(testX, y.length));
    });
    expect(leakageProbe(data, 'site', train, trainX, test, testX)).toBeCloseTo(perSite.reduce((a, b) => a + b, 0) / 4, 12);
  });

  it('probes a binary attribute once, for its first group (female), leaving out subjects without a value', () => {
    const random = new SeededRandom(4);
    const trainX = embeddings(train, data, random, false);
    const testX = embeddings(test, data, random, false);
    const known = train.filter((s) => data.attributes.sex![s] !== null);
    const rows = (subjects: number[], x: Float32Array) =>
      Float32Array.from(subjects.flatMap((s) => Array.from(x.subarray(train.indexOf(s) * WIDTH, (train.indexOf(s) + 1) * WIDTH))));
    const model = fitLogistic(
      rows(known, trainX),
      known.map((s) => (data.attributes.sex![s] === 'female' ? 1 : 0)),
      WIDTH,
    );
    const y = test.map((s) => (data.attributes.sex![s] === 'female' ? 1 : 0));
    expect(leakageProbe(data, 'sex', train, trainX, test, testX)).toBeCloseTo(auc(y, model.predict(testX, y.length)), 12);
  });

  it('is NaN when no group has members and non-members on both sides (a leave-one-site-out fold)', () => {
    const random = new SeededRandom(5);
    const heldOut = data.attributes.site!.map((site, i) => [site, i] as const);
    const siteA = heldOut.filter(([site]) => site === 'A').map(([, i]) => i);
    const others = heldOut.filter(([site]) => site !== 'A').map(([, i]) => i);
    const value = leakageProbe(data, 'site', others, embeddings(others, data, random, true), siteA, embeddings(siteA, data, random, true));
    expect(value).toBeNaN();
    expect(leakageProbe(data, 'handedness', train, new Float32Array(80 * WIDTH), test, new Float32Array(40 * WIDTH))).toBeNaN();
  });
});
