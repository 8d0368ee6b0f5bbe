import { fitLogistic } from '../eval/logisticRegression';
import { auc } from '../eval/metrics';
import type { CohortData } from './cohortData';

/** The sensitive attributes whose leakage the probes measure, by the name of their stored metric. */
export const LEAKAGE_PROBES = { sexProbeAuc: 'sex', siteProbeAuc: 'site' } as const;
export type LeakageProbeName = keyof typeof LEAKAGE_PROBES;

/**
 * How well a linear probe reads a sensitive attribute from a fold's embeddings: L2 logistic
 * regression fitted on the training subjects' embeddings, its AUC on the test subjects'. A binary
 * attribute gets one probe for its first group (sorted: 'female' for sex); one with more groups a
 * probe per group against the rest, and the mean of their AUCs (macro one-vs-rest). A group counts
 * only where training and test both hold members and non-members of it; with none (a
 * leave-one-site-out fold has one site in its test set), the probe is NaN. Subjects without a
 * value are left out.
 */
export function leakageProbe(
  data: CohortData,
  attribute: string,
  trainSubjects: number[],
  trainEmbedding: Float32Array,
  testSubjects: number[],
  testEmbedding: Float32Array,
): number {
  const values = data.attributes[attribute];
  if (!values || trainSubjects.length === 0) return Number.NaN;
  const width = trainEmbedding.length / trainSubjects.length;
  const pick = (subjects: number[], embedding: Float32Array) => {
    const rows = subjects.map((s, k) => [s, k] as const).filter(([s]) => values[s] !== null && values[s] !== undefined);
    const x = new Float32Array(rows.length * width);
    rows.forEach(([, k], r) => x.set(embedding.subarray(k * width, (k + 1) * width), r * width));
    return { x, groups: rows.map(([s]) => String(values[s])) };
  };
  const train = pick(trainSubjects, trainEmbedding);
  const test = pick(testSubjects, testEmbedding);
  const groups = [...new Set(train.groups)].sort();
  const probed = (groups.length === 2 ? groups.slice(0, 1) : groups).filter((group) =>
    [train.groups, test.groups].every((side) => side.includes(group) && side.some((g) => g !== group)),
  );
  if (probed.length === 0) return Number.NaN;
  const aucs = probed.map((group) => {
    const y = test.groups.map((g) => (g === group ? 1 : 0));
    const model = fitLogistic(
      train.x,
      train.groups.map((g) => (g === group ? 1 : 0)),
      width,
    );
    return auc(y, model.predict(test.x, y.length));
  });
  return aucs.reduce((sum, a) => sum + a, 0) / aucs.length;
}
