import { connectomeBasis } from '../model/connectomeBasis';
import * as tf from '../model/tf';
import type { BrainBatch } from '../model/neurolipModel';
import type { TrainConfig } from '../model/trainConfig';
import type { CohortData } from './cohortData';
import { adjustForCovariates } from './covariateAdjustment';
import { tangentConnectivity } from './tangentConnectivity';
import { tangentInParallel } from './tangentInParallel';
import { windowConnectivity } from './timeWindows';
import type { SeededRandom } from '../synth/random';

/** Whether the connectome token reads tangent-space connectivity (computed per fold from its fit subjects). */
function readsTangent(config: Pick<TrainConfig, 'globalToken' | 'connectomeMeasure'>): boolean {
  return config.globalToken && config.connectomeMeasure === 'tangent';
}

/**
 * The model's inputs for one fold. With `inputNorm: 'edgeZ'` every connection is z-scored with the
 * training subjects' mean and SD (as logistic regression's StandardScaler does), so no statistic
 * of the validation or test subjects leaks in. With `globalToken` the upper triangle of each
 * subject's matrix is also kept as one vector, the whole-connectome token's input. With
 * `covariateAdjustment` the site's (or every sensitive attribute's) effects are then regressed out
 * of every connection, the diagnosis kept (covariateAdjustment.ts; fitted on the training subjects).
 * With `connectomeMeasure: 'tangent'` the connectome token reads each subject's connectivity in the
 * tangent space at the fitted subjects' mean (tangentConnectivity.ts) instead of its Fisher-z
 * correlations, scaled as `inputNorm` says; the region tokens keep the correlations.
 * With `timeWindow` below 1, a training batch recomputes each subject's connectivity from a random
 * window of its time series (timeWindows.ts) and scales it with the statistics of the stored matrices.
 */
export class FoldInputs {
  private readonly fc: Float32Array;
  private readonly edges: Float32Array | null;
  private readonly edgeScales: (EdgeScale | null)[];
  private readonly regionScales: (EdgeScale | null)[];
  readonly edgeCount: number;
  /** The connectome token's input basis from the fit subjects (config.connectomeComponents > 0), else null. */
  readonly connectomeBasis: { values: Float32Array; components: number } | null;

  /** The fold's inputs with any tangent-space values computed on worker threads first (tangentInParallel). */
  static async prepare(data: CohortData, fit: number[], config: ConstructorParameters<typeof FoldInputs>[2]): Promise<FoldInputs> {
    const tangent = readsTangent(config) ? await tangentInParallel(data.fc, data.rois, fit) : null;
    return new FoldInputs(data, fit, config, tangent);
  }

  constructor(
    private readonly data: CohortData,
    private readonly fit: number[],
    private readonly config: Pick<
      TrainConfig,
      | 'inputNorm'
      | 'regionNorm'
      | 'globalToken'
      | 'connectomeMeasure'
      | 'covariateAdjustment'
      | 'sensitive'
      | 'timeWindow'
      | 'connectomeComponents'
    >,
    /** The tangent-space values already computed for these fit subjects (prepare), else computed here. */
    tangent: Float32Array | null = null,
  ) {
    const r = data.rois;
    const adjust = (values: Float32Array): Float32Array =>
      config.covariateAdjustment === 'none'
        ? values
        : adjustForCovariates(values, r * r, data.dx, adjusted(data, config.sensitive, config.covariateAdjustment), fit);
    const regionNorm = config.regionNorm === 'same' ? config.inputNorm : config.regionNorm;
    const measured = readsTangent(config) ? { ...data, fc: tangent ?? tangentConnectivity(data.fc, r, fit) } : data;
    const sameScales = regionNorm === config.inputNorm && measured === data;
    this.edgeScales = subjectScales(measured, fit, config.inputNorm);
    this.regionScales = sameScales ? this.edgeScales : subjectScales(data, fit, regionNorm);
    const normalised = adjust(scaleAll(measured, this.edgeScales));
    this.fc = sameScales ? normalised : adjust(scaleAll(data, this.regionScales));
    this.edgeCount = (r * (r - 1)) / 2;
    this.edges = config.globalToken ? upperTriangles(normalised, r, data.subjectIds.length) : null;
    this.connectomeBasis =
      this.edges && config.connectomeComponents > 0 ? connectomeBasis(this.edges, this.edgeCount, fit, config.connectomeComponents) : null;
  }

  /**
   * For each of `subjects`, the index of the statistics that centred its connectome edges on its own
   * group's training subjects (one per site under a site z-score, one for all under `edgeZ`): what a
   * fit that holds some of them out must centre again without them (crossFittedScores). -1 where
   * nothing centred it, or where its site had too few training subjects and borrowed others' mean.
   */
  edgeCentring(subjects: number[]): Int32Array {
    const index = new Map<EdgeScale, number>();
    return Int32Array.from(subjects, (s) => {
      const scale = this.edgeScales[s];
      if (!scale?.ownGroup) return -1;
      if (!index.has(scale)) index.set(scale, index.size);
      return index.get(scale)!;
    });
  }

  /**
   * For each of `subjects`, the index of its site among the unseen sites here: those with fewer than
   * MIN_SITE_SUBJECTS training subjects (a site held out by leave-one-site-out) and at least
   * MIN_SITE_SUBJECTS of `subjects`. -1 for the other subjects and for those with no site.
   */
  unseenSites(subjects: number[]): Int32Array {
    const sites = this.data.attributes.site;
    if (!sites) return new Int32Array(subjects.length).fill(-1);
    const count = (rows: number[]): Map<string, number> => {
      const counts = new Map<string, number>();
      for (const s of rows) if (sites[s] != null) counts.set(sites[s]!, (counts.get(sites[s]!) ?? 0) + 1);
      return counts;
    };
    const trained = count(this.fit);
    const here = count(subjects);
    const unseen = [...here]
      .filter(([site, n]) => n >= MIN_SITE_SUBJECTS && (trained.get(site) ?? 0) < MIN_SITE_SUBJECTS)
      .map(([site]) => site);
    return Int32Array.from(subjects, (s) => (sites[s] == null ? -1 : unseen.indexOf(sites[s]!)));
  }

  /**
   * [B, R, R] connectivity and, with the whole-connectome token, [B, E] edges. With `windows` (a
   * training batch) and `timeWindow` below 1, subjects with a time series get a random window's
   * connectivity instead of their stored matrix.
   */
  batch(subjects: number[], windows?: SeededRandom): BrainBatch {
    const r = this.data.rois;
    const size = r * r;
    const e = this.edgeCount;
    const values = new Float32Array(subjects.length * size);
    const rows = this.edges ? new Float32Array(subjects.length * e) : null;
    const series = windows && this.config.timeWindow < 1 ? this.data.series : undefined;
    const scratch = rows && this.regionScales !== this.edgeScales ? new Float32Array(size) : null;
    subjects.forEach((s, k) => {
      const own = series?.[s];
      if (!own) {
        values.set(this.fc.subarray(s * size, (s + 1) * size), k * size);
        rows?.set(this.edges!.subarray(s * e, (s + 1) * e), k * e);
        return;
      }
      const matrix = windowConnectivity(own, r, this.config.timeWindow, windows!);
      applyEdgeScale(this.regionScales[s] ?? null, matrix, 0, values, k * size, size);
      if (!rows) return;
      const scaled = scratch ?? values.subarray(k * size, (k + 1) * size);
      if (scratch) applyEdgeScale(this.edgeScales[s] ?? null, matrix, 0, scratch, 0, size);
      upperTriangleInto(scaled, 0, r, rows, k * e);
    });
    return {
      fc: tf.tensor3d(values, [subjects.length, r, r]),
      edges: rows ? tf.tensor2d(rows, [subjects.length, e]) : null,
    };
  }
}

/** The columns to regress out: every sensitive attribute, or the site alone (when the cohort has one). */
function adjusted(data: CohortData, sensitive: string[], which: 'site' | 'sensitive'): (string | null)[][] {
  const names = which === 'site' ? ['site'] : sensitive;
  return names.filter((name) => data.attributes[name] !== undefined).map((name) => data.attributes[name]!);
}

/**
 * An affine map of every connection, (x - mean) * scale + offset: the mean and reciprocal SD over
 * some subjects (scale 0 for a constant connection), and an offset (none for a z-score).
 * `ownGroup`: the mean is over the training subjects of exactly the subjects it scales (all of them,
 * or one site's), not borrowed from others (FoldInputs.edgeCentring).
 */
interface EdgeScale {
  mean: Float64Array;
  scale: Float64Array;
  offset?: Float64Array;
  ownGroup?: boolean;
}

function fitEdgeScale(fc: Float32Array, size: number, fit: number[]): EdgeScale {
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
  return { mean, scale };
}

/** Writes `size` values from `source` into `out`, standardised with `edgeScale` (copied as they are when it is null). */
function applyEdgeScale(
  edgeScale: EdgeScale | null,
  source: Float32Array,
  sourceOffset: number,
  out: Float32Array,
  outOffset: number,
  size: number,
): void {
  if (!edgeScale) {
    out.set(source.subarray(sourceOffset, sourceOffset + size), outOffset);
    return;
  }
  const { mean, scale, offset } = edgeScale;
  if (!offset) for (let k = 0; k < size; k += 1) out[outOffset + k] = (source[sourceOffset + k]! - mean[k]!) * scale[k]!;
  else for (let k = 0; k < size; k += 1) out[outOffset + k] = (source[sourceOffset + k]! - mean[k]!) * scale[k]! + offset[k]!;
}

/**
 * A site's z-score mapped back onto the pooled statistics: (x - mean_site) / SD_site * SD_pool +
 * mean_pool, so every site's connections share the pool's mean and SD while each region keeps its
 * own connectivity profile (a location-and-scale harmonisation, as ComBat without its shrinkage).
 */
function matchedEdgeScale(site: EdgeScale, pool: EdgeScale): EdgeScale {
  const size = site.mean.length;
  const scale = new Float64Array(size);
  for (let k = 0; k < size; k += 1) scale[k] = pool.scale[k]! > 0 ? site.scale[k]! / pool.scale[k]! : 0;
  return { mean: site.mean, scale, offset: pool.mean, ownGroup: site.ownGroup };
}

/** The fewest subjects whose statistics scale a site on their own. */
const MIN_SITE_SUBJECTS = 5;

/**
 * The scale each subject's connections get. `edgeZ`: the training subjects' statistics for
 * everyone. `siteZ`: each site's statistics from its training subjects (their connectivity only,
 * never their labels), which removes scanner and protocol offsets; a site with fewer than
 * MIN_SITE_SUBJECTS training subjects (one seen only at test time) is scaled with all its own
 * subjects' statistics, and one with fewer subjects than that with the training subjects'. Test
 * subjects of a site seen in training never enter its statistics: a site mean that includes them
 * would tie their values to the training subjects' (a leakage probe then reads site backwards,
 * docs/model.md). `siteMatched`: as `siteZ`, then mapped back onto the training subjects' pooled
 * mean and SD (matchedEdgeScale). `none`: raw.
 */
function subjectScales(data: CohortData, fit: number[], how: TrainConfig['regionNorm']): (EdgeScale | null)[] {
  const n = data.subjectIds.length;
  const size = data.rois * data.rois;
  if (how === 'none') return new Array<null>(n).fill(null);
  if (how === 'edgeZ') return new Array<EdgeScale>(n).fill({ ...fitEdgeScale(data.fc, size, fit), ownGroup: true });
  const sites = new Map<string, number[]>();
  data.attributes.site!.forEach((site, i) => {
    const key = site ?? '';
    sites.set(key, [...(sites.get(key) ?? []), i]);
  });
  const fitted = new Set(fit);
  const pool = how === 'siteMatched' ? fitEdgeScale(data.fc, size, fit) : null;
  const scales = new Array<EdgeScale | null>(n).fill(null);
  for (const members of sites.values()) {
    const seen = members.filter((s) => fitted.has(s));
    const ownGroup = seen.length >= MIN_SITE_SUBJECTS;
    const siteScale = {
      ...fitEdgeScale(data.fc, size, ownGroup ? seen : members.length >= MIN_SITE_SUBJECTS ? members : fit),
      ownGroup,
    };
    const scale = pool ? matchedEdgeScale(siteScale, pool) : siteScale;
    for (const s of members) scales[s] = scale;
  }
  return scales;
}

/** [N, R, R]: every subject's stored matrix with its scale applied. */
function scaleAll(data: CohortData, scales: (EdgeScale | null)[]): Float32Array {
  if (scales.every((scale) => scale === null)) return data.fc;
  const size = data.rois * data.rois;
  const out = new Float32Array(data.fc.length);
  scales.forEach((scale, s) => applyEdgeScale(scale, data.fc, s * size, out, s * size, size));
  return out;
}

/** One R x R matrix's upper triangle, row-major, written into `out` at `outOffset`. */
function upperTriangleInto(matrix: Float32Array, offset: number, r: number, out: Float32Array, outOffset: number): void {
  let k = outOffset;
  for (let i = 0; i < r; i += 1) {
    const row = offset + i * r;
    for (let j = i + 1; j < r; j += 1) out[k++] = matrix[row + j]!;
  }
}

/** [N, R, R] -> [N, R(R-1)/2], row-major upper triangles. */
function upperTriangles(fc: Float32Array, r: number, n: number): Float32Array {
  const e = (r * (r - 1)) / 2;
  const out = new Float32Array(n * e);
  for (let s = 0; s < n; s += 1) upperTriangleInto(fc, s * r * r, r, out, s * e);
  return out;
}
