import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeNifti } from '../../test-support/niftiFile';
import { useTempDir } from '../../test-support/tempDir';
import { readNiftiVolume } from './niftiVolume';
import { invertAffine, parcellateVolume, type Volume } from './parcellateVolume';

const IDENTITY = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
  [0, 0, 0, 1],
];

describe('parcellating a volume on atlas labels', () => {
  const tempDir = useTempDir();

  it('inverts an affine', () => {
    const affine = [
      [-2, 0, 0, 90],
      [0, 2, 0.5, -126],
      [0, 0, 2, -72],
      [0, 0, 0, 1],
    ];
    const inverse = invertAffine(affine);
    const point = [10, 20, 30, 1];
    const world = affine.map((row) => row.reduce((s, v, j) => s + v * point[j]!, 0));
    const back = inverse.map((row) => row.reduce((s, v, j) => s + v * world[j]!, 0));
    back.forEach((v, i) => expect(v).toBeCloseTo(point[i]!, 9));
  });

  it('averages the reference within each label on the same grid, skipping unknown labels and NaN', () => {
    // 4 x 1 x 1 labels [1, 1, 2, 7]; label 7 is not a ROI.
    const labels: Volume = { dims: [4, 1, 1], data: [1, 1, 2, 7], affine: IDENTITY };
    const reference: Volume = { dims: [4, 1, 1], data: [2, 4, Number.NaN, 100], affine: IDENTITY };
    const result = parcellateVolume(reference, labels, (v) => (v <= 3 ? v - 1 : undefined), 3);
    expect(Array.from(result.values.slice(0, 1))).toEqual([3]);
    expect(Number.isNaN(result.values[1]!)).toBe(true);
    expect(Number.isNaN(result.values[2]!)).toBe(true);
    expect(Array.from(result.voxels)).toEqual([2, 0, 0]);
  });

  it('resamples through both affines (a 1 mm atlas on a 2 mm reference shifted by 10 mm)', () => {
    // Labels: 4 x 1 x 1 at 1 mm from x = 0; voxels 0-1 label 1, 2-3 label 2.
    const labels: Volume = { dims: [4, 1, 1], data: [1, 1, 2, 2], affine: IDENTITY };
    // Reference: 2 mm voxels starting at x = -10: mm 0 -> voxel 5, mm 2 -> voxel 6.
    const affine = [
      [2, 0, 0, -10],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
      [0, 0, 0, 1],
    ];
    const data = [0, 0, 0, 0, 0, 10, 20, 30];
    const result = parcellateVolume({ dims: [8, 1, 1], data, affine }, labels, (v) => v - 1, 2);
    // mm 0 -> 5 (10), mm 1 -> 5.5 -> 6 (20), mm 2 -> 6 (20), mm 3 -> 6.5 -> 7 (30).
    expect(Array.from(result.values)).toEqual([15, 25]);
  });

  it('reads a gzipped NIfTI volume with its scaling and affine', () => {
    const path = join(tempDir(), 'map.nii.gz');
    const affine = [
      [-2, 0, 0, 90],
      [0, 2, 0, -126],
      [0, 0, 2, -72],
    ];
    writeNifti(path, [2, 2, 1], [1, 2, 3, 4], { datatype: 'int16', affine, slope: 0.5 });
    const volume = readNiftiVolume(path);
    expect(volume.dims).toEqual([2, 2, 1]);
    expect(Array.from(volume.data)).toEqual([0.5, 1, 1.5, 2]);
    expect(volume.affine.slice(0, 3)).toEqual(affine);
  });

  it('refuses a file that is not NIfTI, naming it', () => {
    const bad = join(tempDir(), 'notes.nii');
    writeFileSync(bad, 'hello, not an image');
    expect(() => readNiftiVolume(bad)).toThrow(/^notes\.nii: not a NIfTI image$/);
  });
});
