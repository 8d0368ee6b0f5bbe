import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';

/**
 * Writes a minimal single-file NIfTI-1 image (.nii or .nii.gz) with an sform affine, for tests of
 * our readers: int16 (datatype 4) or float32 (datatype 16) voxels in x-fastest order.
 */
export function writeNifti(
  path: string,
  dims: [number, number, number],
  values: ArrayLike<number>,
  options: { datatype: 'int16' | 'float32'; affine: number[][]; slope?: number },
): void {
  const [bytes, code] = options.datatype === 'int16' ? [2, 4] : [4, 16];
  const header = Buffer.alloc(352);
  header.writeInt32LE(348, 0);
  [3, dims[0], dims[1], dims[2], 1, 1, 1, 1].forEach((d, i) => header.writeInt16LE(d, 40 + i * 2));
  header.writeInt16LE(code, 70);
  header.writeInt16LE(bytes * 8, 72);
  [1, 1, 1, 1, 1, 1, 1, 1].forEach((p, i) => header.writeFloatLE(p, 76 + i * 4));
  header.writeFloatLE(352, 108);
  header.writeFloatLE(options.slope ?? 1, 112);
  header.writeFloatLE(0, 116);
  header.writeInt16LE(2, 254); // sform_code: aligned to a standard space
  options.affine.slice(0, 3).forEach((row, r) => row.forEach((v, c) => header.writeFloatLE(v, 280 + r * 16 + c * 4)));
  header.write('n+1\0', 344, 'latin1');
  const data = Buffer.alloc(values.length * bytes);
  for (let i = 0; i < values.length; i += 1) {
    if (options.datatype === 'int16') data.writeInt16LE(values[i]!, i * 2);
    else data.writeFloatLE(values[i]!, i * 4);
  }
  const file = Buffer.concat([header, data]);
  writeFileSync(path, path.endsWith('.gz') ? gzipSync(file) : file);
}
