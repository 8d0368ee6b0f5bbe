import { inflateSync } from 'node:zlib';
import { ImportError } from '../importError';
import type { NumericMatrix } from './npyMatrix';
import type { SourceBytes } from './sourceFile';

const MI_INT8 = 1;
const MI_INT32 = 5;
const MI_MATRIX = 14;
const MI_COMPRESSED = 15;

/** Element readers of the numeric MATLAB data types, by miXXX code. */
const NUMERIC: Record<number, { bytes: number; read: (view: DataView, offset: number) => number }> = {
  1: { bytes: 1, read: (v, o) => v.getInt8(o) },
  2: { bytes: 1, read: (v, o) => v.getUint8(o) },
  3: { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  4: { bytes: 2, read: (v, o) => v.getUint16(o, true) },
  5: { bytes: 4, read: (v, o) => v.getInt32(o, true) },
  6: { bytes: 4, read: (v, o) => v.getUint32(o, true) },
  7: { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  9: { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
};

interface Element {
  type: number;
  data: Buffer;
  /** Offset of the next element. */
  next: number;
}

function readElement(buffer: Buffer, offset: number, file: string): Element {
  if (offset + 8 > buffer.length) throw new ImportError({ file }, 'truncated MAT-file (an element header is cut off)');
  const first = buffer.readUInt32LE(offset);
  if (first >>> 16 !== 0) {
    // Small data element: type and size packed in 4 bytes, data in the next 4.
    const size = first >>> 16;
    return { type: first & 0xffff, data: buffer.subarray(offset + 4, offset + 4 + size), next: offset + 8 };
  }
  const size = buffer.readUInt32LE(offset + 4);
  const start = offset + 8;
  if (start + size > buffer.length)
    throw new ImportError({ file }, `truncated MAT-file (an element needs ${size} bytes, ${buffer.length - start} remain)`);
  const padded = first === MI_COMPRESSED ? size : Math.ceil(size / 8) * 8;
  return { type: first, data: buffer.subarray(start, start + size), next: start + padded };
}

function readMatrix(element: Element, file: string): { name: string; matrix: NumericMatrix } | null {
  const body = element.data;
  const flags = readElement(body, 0, file);
  const matrixClass = flags.data.readUInt32LE(0) & 0xff;
  const complex = (flags.data.readUInt32LE(0) & 0x800) !== 0;
  const dims = readElement(body, flags.next, file);
  if (dims.type !== MI_INT32) throw new ImportError({ file }, 'malformed MAT-file (dimensions are not int32)');
  const shape = Array.from({ length: dims.data.length / 4 }, (_, i) => dims.data.readInt32LE(i * 4));
  const nameElement = readElement(body, dims.next, file);
  const name = nameElement.type === MI_INT8 ? nameElement.data.toString('latin1') : '';
  // mxDOUBLE..mxUINT64 are classes 6..15; cells, structs, chars and sparse arrays are not matrices of numbers.
  if (matrixClass < 6 || matrixClass > 15) return null;
  if (complex) throw new ImportError({ file }, `variable "${name}" is complex; a connectivity matrix must be real`);
  if (shape.length !== 2) throw new ImportError({ file }, `variable "${name}" has ${shape.length} dimensions; expected a 2-D matrix`);
  const real = readElement(body, nameElement.next, file);
  const reader = NUMERIC[real.type];
  if (!reader) throw new ImportError({ file }, `variable "${name}" has an unsupported element type (${real.type})`);
  const [rows, cols] = shape as [number, number];
  if (real.data.length < rows * cols * reader.bytes) throw new ImportError({ file }, `variable "${name}" is truncated`);
  const view = new DataView(real.data.buffer, real.data.byteOffset, real.data.length);
  const values = new Float64Array(rows * cols);
  // MATLAB stores column-major.
  for (let i = 0; i < rows * cols; i += 1) values[(i % rows) * cols + Math.floor(i / rows)] = reader.read(view, i * reader.bytes);
  return { name, matrix: { rows, cols, values } };
}

/**
 * Reads the numeric 2-D matrices of a MATLAB v5 MAT-file (compressed or not), by variable name.
 * Written here because the one maintained JavaScript reader (mat-for-js) is GPL-licensed.
 */
export function parseMat(source: SourceBytes): Map<string, NumericMatrix> {
  const file = source.path;
  const buffer = source.content;
  if (buffer.length < 128 || !buffer.toString('latin1', 0, 6).startsWith('MATLAB')) {
    throw new ImportError({ file }, 'not a MATLAB MAT-file (no "MATLAB" header); v7.3 files are HDF5 and need saving with -v7');
  }
  if (buffer.toString('latin1', 126, 128) !== 'IM') throw new ImportError({ file }, 'only little-endian MAT-files are supported');
  const matrices = new Map<string, NumericMatrix>();
  let offset = 128;
  while (offset + 8 <= buffer.length) {
    let element = readElement(buffer, offset, file);
    offset = element.next;
    if (element.type === MI_COMPRESSED) {
      let inflated: Buffer;
      try {
        inflated = inflateSync(element.data);
      } catch {
        throw new ImportError({ file }, 'a compressed variable is corrupt or truncated');
      }
      element = readElement(inflated, 0, file);
    }
    if (element.type !== MI_MATRIX) continue;
    const found = readMatrix(element, file);
    if (found) matrices.set(found.name, found.matrix);
  }
  return matrices;
}
