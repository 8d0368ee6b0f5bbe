import * as nifti from 'nifti-reader-js';
import { ImportError } from '../cohort/importError';
import { readSource } from '../cohort/readers/sourceFile';
import type { Volume } from './parcellateVolume';

type VoxelReader = (view: DataView, index: number, little: boolean) => number;

/** NIfTI datatype code -> bytes per voxel and reader. */
const READERS: Record<number, { bytes: number; read: VoxelReader }> = {
  2: { bytes: 1, read: (v, i) => v.getUint8(i) },
  4: { bytes: 2, read: (v, i, le) => v.getInt16(i * 2, le) },
  8: { bytes: 4, read: (v, i, le) => v.getInt32(i * 4, le) },
  16: { bytes: 4, read: (v, i, le) => v.getFloat32(i * 4, le) },
  64: { bytes: 8, read: (v, i, le) => v.getFloat64(i * 8, le) },
  256: { bytes: 1, read: (v, i) => v.getInt8(i) },
  512: { bytes: 2, read: (v, i, le) => v.getUint16(i * 2, le) },
  768: { bytes: 4, read: (v, i, le) => v.getUint32(i * 4, le) },
};

/** Reads a 3-D NIfTI-1/2 image (gzip or not) with its scaling applied: values in x-fastest order and the voxel-to-mm affine. */
export function readNiftiVolume(path: string): Volume {
  const source = readSource(path);
  const data = source.content.buffer.slice(source.content.byteOffset, source.content.byteOffset + source.content.length) as ArrayBuffer;
  if (!nifti.isNIFTI(data)) throw new ImportError({ file: path }, 'not a NIfTI image');
  const header = nifti.readHeader(data);
  if (!header) throw new ImportError({ file: path }, 'the NIfTI header cannot be read');
  const reader = READERS[header.datatypeCode];
  if (!reader) throw new ImportError({ file: path }, `unsupported voxel type (NIfTI datatype ${header.datatypeCode})`);
  const [nx, ny, nz] = [header.dims[1]!, header.dims[2]!, Math.max(1, header.dims[3]!)];
  const extra = header.dims.slice(4, 1 + header.dims[0]!).reduce((p, d) => p * Math.max(1, d), 1);
  if (extra > 1) throw new ImportError({ file: path }, `a ${header.dims[0]}-D image with ${extra} volumes; give one 3-D map`);
  const image = nifti.readImage(header, data);
  const count = nx * ny * nz;
  if (image.byteLength < count * reader.bytes) throw new ImportError({ file: path }, 'the image data is truncated');
  const view = new DataView(image);
  const slope = header.scl_slope && Number.isFinite(header.scl_slope) ? header.scl_slope : 1;
  const intercept = Number.isFinite(header.scl_inter) ? header.scl_inter : 0;
  const values = new Float32Array(count);
  for (let i = 0; i < count; i += 1) values[i] = reader.read(view, i, header.littleEndian) * slope + intercept;
  return { dims: [nx, ny, nz], data: values, affine: header.affine };
}
