import * as nifti from 'nifti-reader-js';
import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { ImportError } from '../importError';
import { readSource } from '../readers/sourceFile';
import type { Atlas, AtlasRoi } from './atlas';

type VoxelReader = (view: DataView, index: number) => number;

const READERS: Record<number, { bytes: number; read: VoxelReader }> = {
  2: { bytes: 1, read: (v, i) => v.getUint8(i) },
  4: { bytes: 2, read: (v, i) => v.getInt16(i * 2, true) },
  8: { bytes: 4, read: (v, i) => v.getInt32(i * 4, true) },
  16: { bytes: 4, read: (v, i) => Math.round(v.getFloat32(i * 4, true)) },
  64: { bytes: 8, read: (v, i) => Math.round(v.getFloat64(i * 8, true)) },
  256: { bytes: 1, read: (v, i) => v.getInt8(i) },
  512: { bytes: 2, read: (v, i) => v.getUint16(i * 2, true) },
  768: { bytes: 4, read: (v, i) => v.getUint32(i * 4, true) },
};

export interface LabelVolumeRegion {
  value: number;
  voxels: number;
  /** Centroid in world (MNI) millimetres, through the image's affine. */
  x: number;
  y: number;
  z: number;
}

/**
 * The regions of a NIfTI label image: for each non-zero label value, its voxel count and centroid in
 * millimetres. `split` optionally renames a region by the side of x it lies on (used to split
 * bilateral labels into hemispheres).
 */
export function labelVolumeRegions(path: string, split?: (value: number, x: number) => number): LabelVolumeRegion[] {
  const source = readSource(path);
  const data = source.content.buffer.slice(source.content.byteOffset, source.content.byteOffset + source.content.length) as ArrayBuffer;
  if (!nifti.isNIFTI(data)) throw new ImportError({ file: path }, 'not a NIfTI image');
  const header = nifti.readHeader(data);
  const reader = READERS[header.datatypeCode];
  if (!reader) throw new ImportError({ file: path }, `unsupported voxel type ${header.datatypeCode} for a label image`);
  const [nx, ny, nz] = [header.dims[1]!, header.dims[2]!, header.dims[3]!];
  const image = nifti.readImage(header, data);
  if (image.byteLength < nx * ny * nz * reader.bytes) throw new ImportError({ file: path }, 'the image data is truncated');
  const view = new DataView(image);
  const affine = header.affine;
  const sums = new Map<number, { n: number; x: number; y: number; z: number }>();
  let index = 0;
  for (let k = 0; k < nz; k += 1) {
    for (let j = 0; j < ny; j += 1) {
      for (let i = 0; i < nx; i += 1, index += 1) {
        const raw = reader.read(view, index);
        if (raw === 0) continue;
        const x = affine[0]![0]! * i + affine[0]![1]! * j + affine[0]![2]! * k + affine[0]![3]!;
        const y = affine[1]![0]! * i + affine[1]![1]! * j + affine[1]![2]! * k + affine[1]![3]!;
        const z = affine[2]![0]! * i + affine[2]![1]! * j + affine[2]![2]! * k + affine[2]![3]!;
        const value = split ? split(raw, x) : raw;
        const sum = sums.get(value) ?? { n: 0, x: 0, y: 0, z: 0 };
        sum.n += 1;
        sum.x += x;
        sum.y += y;
        sum.z += z;
        sums.set(value, sum);
      }
    }
  }
  if (sums.size === 0) throw new ImportError({ file: path }, 'the image has no labelled voxels');
  return [...sums]
    .sort((a, b) => a[0] - b[0])
    .map(([value, s]) => ({ value, voxels: s.n, x: round(s.x / s.n), y: round(s.y / s.n), z: round(s.z / s.n) }));
}

const round = (value: number): number => Math.round(value * 100) / 100;

/**
 * Reads a label lookup next to the image, in MRIcron's format: "index name [code]" per line
 * (aal.nii.txt: "1 Precentral_L 2001"). Returns index -> { label, code }.
 */
export function readLabelLookup(path: string): Map<number, { label: string; code: number }> {
  const lookup = new Map<number, { label: string; code: number }>();
  for (const line of readFileSync(path, 'latin1').split(/\r\n|\r|\n/)) {
    const parts = line.trim().split(/\s+/);
    if (parts.length < 2 || !/^\d+$/.test(parts[0]!)) continue;
    const index = Number(parts[0]);
    const code = parts[2] !== undefined && /^\d+$/.test(parts[2]) ? Number(parts[2]) : index;
    lookup.set(index, { label: parts[1]!, code });
  }
  return lookup;
}

/** A user's NIfTI label image as an atlas: one ROI per label value, named from a sibling .txt lookup if there is one. */
export function readNiftiAtlas(path: string): Atlas {
  const lookupPath = path.replace(/\.nii(\.gz)?$/i, '.nii.txt');
  const lookup =
    lookupPath !== path && existsSync(lookupPath) ? readLabelLookup(lookupPath) : new Map<number, { label: string; code: number }>();
  const regions = labelVolumeRegions(path);
  const rois: AtlasRoi[] = regions.map((region) => {
    const named = lookup.get(region.value);
    return { code: named?.code ?? region.value, label: named?.label ?? `Region ${region.value}`, x: region.x, y: region.y, z: region.z };
  });
  const source = readSource(path);
  return {
    name: basename(path).replace(/\.nii(\.gz)?$/i, ''),
    space: 'MNI152',
    provenance: {
      kind: 'nifti',
      file: basename(path),
      sizeBytes: source.sizeBytes,
      sha256: source.sha256,
      labels: lookup.size > 0 ? basename(lookupPath) : null,
      centroid: 'mean voxel position through the image affine (sform, else qform)',
    },
    rois,
  };
}
