import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIDE } from '../../../test-support/sharedData';
import { SeededRandom } from '../../synth/random';
import { parseNumericRowsInJs, parseNumericRowsInWasm } from './numericRows';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Bit for bit: -0 and 0 differ. */
function sameRows(a: { values: Float64Array; rows: number }, b: { values: Float64Array; rows: number }): boolean {
  return a.rows === b.rows && a.values.length === b.values.length && a.values.every((value, k) => Object.is(value, b.values[k]));
}

describe('numeric rows in WebAssembly', () => {
  it('reads what the JavaScript parser reads, bit for bit', () => {
    const cases = [
      '1\t2\t3\n4\t5\t6\n',
      '1.5,-2.25,+3e2\r\n-0,0.000001,1E-5\r\n',
      '  1 2 3  \n\n\n4 5 6',
      '-18.600629\t1.709955\t-30.545049\n0.1\t123456789012345\t9.99e22\n',
      '.5\t5.\t-.5e+1\n1e-22\t1e22\t0000012.5000\n',
    ];
    for (const text of cases) {
      const wasm = parseNumericRowsInWasm(bytes(text), 0, 3);
      expect(wasm, text).not.toBeNull();
      expect(sameRows(wasm!, parseNumericRowsInJs(bytes(text), 0, 3)!), text).toBe(true);
    }
  });

  it('agrees on random rows of every format', () => {
    const random = new SeededRandom(3);
    const columns = 7;
    const lines = Array.from({ length: 300 }, () =>
      Array.from({ length: columns }, () => {
        const x = random.normal() * 10 ** Math.floor(random.next() * 8 - 4);
        const format = Math.floor(random.next() * 3);
        return format === 0 ? x.toFixed(6) : format === 1 ? x.toExponential(8) : String(Math.round(x * 1000) / 1000);
      }).join(random.next() < 0.5 ? '\t' : ','),
    );
    const text = bytes(`${lines.join('\n')}\n`);
    const wasm = parseNumericRowsInWasm(text, 0, columns);
    expect(wasm).not.toBeNull();
    expect(sameRows(wasm!, parseNumericRowsInJs(text, 0, columns)!)).toBe(true);
  });

  it('reads real ABIDE files as the JavaScript parser does', () => {
    for (const name of readdirSync(ABIDE.cc200).slice(0, 5)) {
      const content = readFileSync(join(ABIDE.cc200, name));
      const start = content.indexOf(10) + 1;
      const wasm = parseNumericRowsInWasm(content, start, 200);
      expect(wasm, name).not.toBeNull();
      expect(sameRows(wasm!, parseNumericRowsInJs(content, start, 200)!), name).toBe(true);
    }
  });

  it('gives up where the JavaScript parser gives up, and on numbers it cannot convert exactly', () => {
    for (const text of ['1\t2\n3\t\n', '1\t2\n3\tx\n', '1\tNaN\n', '1\t2\t3\n', '1\t2\n3\n', '1e\t2\n', '1\t2,\n', '1\t2\0\n']) {
      expect(parseNumericRowsInWasm(bytes(text), 0, 2), text).toBeNull();
      expect(parseNumericRowsInJs(bytes(text), 0, 2), text).toBeNull();
    }
    // 16 significant digits, and 10^23: the JavaScript parser converts these with Number().
    for (const text of ['1.234567890123456\t2\n', '1e23\t2\n', '1e00005\t2\n']) {
      expect(parseNumericRowsInWasm(bytes(text), 0, 2), text).toBeNull();
      expect(parseNumericRowsInJs(bytes(text), 0, 2), text).not.toBeNull();
    }
  });
});
