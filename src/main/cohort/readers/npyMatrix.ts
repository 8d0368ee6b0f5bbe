import { ImportError } from '../importError';
import type { SourceBytes } from './sourceFile';

/** A 2-D numeric array read from a binary file, as float64, row-major. */
export interface NumericMatrix {
  rows: number;
  cols: number;
  values: Float64Array;
}

const MAGIC = '\x93NUMPY';
const DTYPES: Record<string, { bytes: number; read: (view: DataView, offset: number, little: boolean) => number }> = {
  f8: { bytes: 8, read: (v, o, l) => v.getFloat64(o, l) },
  f4: { bytes: 4, read: (v, o, l) => v.getFloat32(o, l) },
  i8: { bytes: 8, read: (v, o, l) => Number(v.getBigInt64(o, l)) },
  i4: { bytes: 4, read: (v, o, l) => v.getInt32(o, l) },
  i2: { bytes: 2, read: (v, o, l) => v.getInt16(o, l) },
};

/**
 * Reads a NumPy `.npy` file holding one 2-D float or integer array (C or Fortran order). Other
 * dtypes and shapes are refused by name. Written here rather than taken from npyjs, whose package
 * pulls in an HTTP client: this app never touches the network, and needs exact errors.
 */
export function parseNpy(source: SourceBytes): NumericMatrix {
  const file = source.path;
  const buffer = source.content;
  if (buffer.length < 10 || buffer.toString('latin1', 0, 6) !== MAGIC)
    throw new ImportError({ file }, 'not a NumPy .npy file (bad magic bytes)');
  const major = buffer[6]!;
  const headerLength = major === 1 ? buffer.readUInt16LE(8) : buffer.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = buffer.toString('latin1', headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([<>|=])([a-z]\d+)'/.exec(header);
  const order = /'fortran_order':\s*(True|False)/.exec(header);
  const shape = /'shape':\s*\(([^)]*)\)/.exec(header);
  if (!descr || !order || !shape) throw new ImportError({ file }, `unreadable .npy header: ${header.trim().slice(0, 120)}`);
  const dtype = DTYPES[descr[2]!];
  if (!dtype) throw new ImportError({ file }, `unsupported dtype '${descr[1]}${descr[2]}'; expected float64, float32 or integers`);
  const dims = shape[1]!
    .split(',')
    .map((d) => d.trim())
    .filter((d) => d !== '')
    .map(Number);
  if (dims.length !== 2) throw new ImportError({ file }, `expected a 2-D array, found shape (${dims.join(', ')})`);
  const [rows, cols] = dims as [number, number];
  const little = descr[1] !== '>';
  const dataStart = headerStart + headerLength;
  const expected = rows * cols * dtype.bytes;
  if (buffer.length - dataStart < expected) {
    throw new ImportError(
      { file },
      `truncated: shape (${rows}, ${cols}) needs ${expected} data bytes, the file has ${buffer.length - dataStart}`,
    );
  }
  const view = new DataView(buffer.buffer, buffer.byteOffset + dataStart, expected);
  const values = new Float64Array(rows * cols);
  const fortran = order[1] === 'True';
  for (let i = 0; i < rows * cols; i += 1) {
    const target = fortran ? (i % rows) * cols + Math.floor(i / rows) : i;
    values[target] = dtype.read(view, i * dtype.bytes, little);
  }
  return { rows, cols, values };
}
