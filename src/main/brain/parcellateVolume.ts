/** A 3-D image: voxel values in x-fastest order and the voxel-to-millimetre affine (4 x 4, row-major rows). */
export interface Volume {
  dims: [number, number, number];
  data: ArrayLike<number>;
  affine: number[][];
}

/** The inverse of a 4 x 4 affine whose last row is [0, 0, 0, 1]. */
export function invertAffine(affine: number[][]): number[][] {
  const [a, b, c] = [affine[0]!, affine[1]!, affine[2]!];
  const m = [
    [a[0]!, a[1]!, a[2]!],
    [b[0]!, b[1]!, b[2]!],
    [c[0]!, c[1]!, c[2]!],
  ];
  const det =
    m[0]![0]! * (m[1]![1]! * m[2]![2]! - m[1]![2]! * m[2]![1]!) -
    m[0]![1]! * (m[1]![0]! * m[2]![2]! - m[1]![2]! * m[2]![0]!) +
    m[0]![2]! * (m[1]![0]! * m[2]![1]! - m[1]![1]! * m[2]![0]!);
  if (Math.abs(det) < 1e-12) throw new Error('the image affine is singular');
  const cof = (r: number, s: number): number => {
    const rows = [0, 1, 2].filter((i) => i !== r);
    const cols = [0, 1, 2].filter((j) => j !== s);
    const minor = m[rows[0]!]![cols[0]!]! * m[rows[1]!]![cols[1]!]! - m[rows[0]!]![cols[1]!]! * m[rows[1]!]![cols[0]!]!;
    return ((r + s) % 2 === 0 ? 1 : -1) * minor;
  };
  const inv = [0, 1, 2].map((i) => [0, 1, 2].map((j) => cof(j, i) / det));
  const t = [a[3]!, b[3]!, c[3]!];
  return [...inv.map((row) => [...row, -(row[0]! * t[0]! + row[1]! * t[1]! + row[2]! * t[2]!)]), [0, 0, 0, 1]];
}

export interface Parcellation {
  /** Mean reference value over each ROI's voxels; NaN where a ROI has no voxel inside the reference image. */
  values: Float64Array;
  /** Voxels of the label image averaged per ROI. */
  voxels: Int32Array;
}

/**
 * Averages a reference volume within each atlas region (nilearn's NiftiLabelsMasker, with
 * nearest-neighbour resampling): every labelled voxel of the label image is taken to millimetres
 * through its affine, then to the reference image's nearest voxel through the inverse of that image's
 * affine. `roiOf` maps a label value to a ROI index (undefined: not one of the atlas's ROIs).
 * Non-finite reference values are skipped.
 */
export function parcellateVolume(
  reference: Volume,
  labels: Volume,
  roiOf: (label: number) => number | undefined,
  rois: number,
): Parcellation {
  const sum = new Float64Array(rois);
  const voxels = new Int32Array(rois);
  const toReference = invertAffine(reference.affine);
  const [rx, ry, rz] = reference.dims;
  const [nx, ny, nz] = labels.dims;
  const l = labels.affine;
  // Label voxel -> reference voxel, as one affine: inverse(reference) x labels.
  const m = [0, 1, 2].map((i) =>
    [0, 1, 2, 3].map((j) => [0, 1, 2, 3].reduce((s, k) => s + toReference[i]![k]! * (k < 3 ? l[k]![j]! : j === 3 ? 1 : 0), 0)),
  );
  let index = 0;
  for (let k = 0; k < nz; k += 1) {
    for (let j = 0; j < ny; j += 1) {
      for (let i = 0; i < nx; i += 1, index += 1) {
        const label = labels.data[index]!;
        if (label === 0) continue;
        const roi = roiOf(label);
        if (roi === undefined) continue;
        const ri = Math.round(m[0]![0]! * i + m[0]![1]! * j + m[0]![2]! * k + m[0]![3]!);
        const rj = Math.round(m[1]![0]! * i + m[1]![1]! * j + m[1]![2]! * k + m[1]![3]!);
        const rk = Math.round(m[2]![0]! * i + m[2]![1]! * j + m[2]![2]! * k + m[2]![3]!);
        if (ri < 0 || rj < 0 || rk < 0 || ri >= rx || rj >= ry || rk >= rz) continue;
        const value = reference.data[ri + rx * (rj + ry * rk)]!;
        if (!Number.isFinite(value)) continue;
        sum[roi]! += value;
        voxels[roi]! += 1;
      }
    }
  }
  return { values: sum.map((s, r) => (voxels[r]! > 0 ? s / voxels[r]! : Number.NaN)), voxels };
}
