import * as tf from '../model/tf';
import type { BrainBatch } from '../model/neurolipModel';
import type { TrainConfig } from '../model/trainConfig';
import type { CohortData } from './cohortData';
import { adjustForCovariates } from './covariateAdjustment';

/**
 * The model's inputs for one fold. With `inputNorm: 'edgeZ'` every connection is z-scored with the
 * training subjects' mean and SD (as logistic regression's StandardScaler does), so no statistic
 * of the validation or test subjects leaks in. With `globalToken` the upper triangle of each
 * subject's matrix is also kept as one vector, the whole-connectome token's input. With
 * `covariateAdjustment` the site's (or every sensitive attribute's) effects are then regressed out
 * of every connection, the diagnosis kept (covariateAdjustment.ts; fitted on the training subjects).
 */
export class FoldInputs {
  private readonly fc: Float32Array;
  private readonly edges: Float32Array | null;
  readonly edgeCount: number;

  constructor(
    private readonly data: CohortData,
    fit: number[],
    config: Pick<TrainConfig, 'inputNorm' | 'regionNorm' | 'globalToken' | 'covariateAdjustment' | 'sensitive'>,
  ) {
    const r = data.rois;
    const adjust = (values: Float32Array): Float32Array =>
      config.covariateAdjustment === 'none'
        ? values
        : adjustForCovariates(values, r * r, data.dx, adjusted(data, config.sensitive, config.covariateAdjustment), fit);
    const normalised = adjust(normalise(data, fit, config.inputNorm));
    this.fc =
      config.regionNorm === 'same' || config.regionNorm === config.inputNorm ? normalised : adjust(normalise(data, fit, config.regionNorm));
    this.edgeCount = (r * (r - 1)) / 2;
    this.edges = config.globalToken ? upperTriangles(normalised, r, data.subjectIds.length) : null;
  }

  /** [B, R, R] connectivity and, with the whole-connectome token, [B, E] edges. */
  batch(subjects: number[]): BrainBatch {
    const r = this.data.rois;
    const values = new Float32Array(subjects.length * r * r);
    subjects.forEach((s, k) => values.set(this.fc.subarray(s * r * r, (s + 1) * r * r), k * r * r));
    let edges: tf.Tensor2D | null = null;
    if (this.edges) {
      const e = this.edgeCount;
      const rows = new Float32Array(subjects.length * e);
      subjects.forEach((s, k) => rows.set(this.edges!.subarray(s * e, (s + 1) * e), k * e));
      edges = tf.tensor2d(rows, [subjects.length, e]);
    }
    return { fc: tf.tensor3d(values, [subjects.length, r, r]), edges };
  }
}

/** The columns to regress out: every sensitive attribute, or the site alone (when the cohort has one). */
function adjusted(data: CohortData, sensitive: string[], which: 'site' | 'sensitive'): (string | null)[][] {
  const names = which === 'site' ? ['site'] : sensitive;
  return names.filter((name) => data.attributes[name] !== undefined).map((name) => data.attributes[name]!);
}

function normalise(data: CohortData, fit: number[], how: TrainConfig['inputNorm']): Float32Array {
  if (how === 'edgeZ')
    return standardiseEdges(
      data.fc,
      data.rois,
      fit,
      data.subjectIds.map((_, i) => i),
    );
  return how === 'siteZ' ? standardisePerSite(data, data.rois) : data.fc;
}

/**
 * Each site's connections z-scored over that site's subjects (their connectivity only, never their
 * labels), which removes scanner and protocol offsets; a site seen only at test time is scaled with
 * its own statistics. Sites with fewer than 5 subjects fall back to the whole cohort's statistics.
 */
function standardisePerSite(data: CohortData, r: number): Float32Array {
  const sites = new Map<string, number[]>();
  const everyone = data.subjectIds.map((_, i) => i);
  data.attributes.site!.forEach((site, i) => {
    const key = site ?? '';
    sites.set(key, [...(sites.get(key) ?? []), i]);
  });
  const out = new Float32Array(data.fc.length);
  for (const members of sites.values()) {
    standardiseEdges(data.fc, r, members.length >= 5 ? members : everyone, members, out);
  }
  return out;
}

/**
 * [N, R, R] -> [N, R, R]: the `apply` subjects' connections z-scored with the mean and SD of the
 * `fit` subjects (constant connections become 0), written into `out` (other subjects stay 0).
 */
export function standardiseEdges(
  fc: Float32Array,
  r: number,
  fit: number[],
  apply: number[],
  out = new Float32Array(fc.length),
): Float32Array {
  const size = r * r;
  const mean = new Float64Array(size);
  const square = new Float64Array(size);
  for (const s of fit) {
    const offset = s * size;
    for (let k = 0; k < size; k += 1) {
      const v = fc[offset + k]!;
      mean[k]! += v;
      square[k]! += v * v;
    }
  }
  const scale = new Float64Array(size);
  for (let k = 0; k < size; k += 1) {
    mean[k]! /= fit.length;
    const sd = Math.sqrt(Math.max(square[k]! / fit.length - mean[k]! * mean[k]!, 0));
    scale[k] = sd > 1e-6 ? 1 / sd : 0;
  }
  for (const s of apply) {
    const offset = s * size;
    for (let k = 0; k < size; k += 1) out[offset + k] = (fc[offset + k]! - mean[k]!) * scale[k]!;
  }
  return out;
}

/** [N, R, R] -> [N, R(R-1)/2], row-major upper triangles. */
function upperTriangles(fc: Float32Array, r: number, n: number): Float32Array {
  const e = (r * (r - 1)) / 2;
  const out = new Float32Array(n * e);
  for (let s = 0; s < n; s += 1) {
    let k = s * e;
    for (let i = 0; i < r; i += 1) {
      const row = s * r * r + i * r;
      for (let j = i + 1; j < r; j += 1) out[k++] = fc[row + j]!;
    }
  }
  return out;
}
