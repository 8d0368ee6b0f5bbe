import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { ABIDE } from '../../../test-support/sharedData';
import { SeededRandom } from '../../synth/random';
import { parseCsvRows } from './csvRows';

const papaparse = (text: string, delimiter: string, newline: string) => {
  const { data, errors } = Papa.parse<string[]>(text, { delimiter, newline: newline as Papa.ParseConfig['newline'] });
  return { data, errors };
};

const NEWLINES = ['\n', '\r\n', '\r'];

/** A table-like text: plain, empty, quoted (with delimiters, escaped quotes, line breaks) and stray-quote cells, blank and ragged rows. */
function randomTable(random: SeededRandom, delimiter: string, newline: string): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random.next() * items.length)]!;
  const cell = (): string =>
    pick([
      () => 'abc',
      () => '',
      () => ' 12.5 ',
      () => `"x${delimiter}y"`,
      () => '"say ""hi"""',
      () => `"two${pick(NEWLINES)}lines"`,
      () => 'a"b',
      () => '"open',
      () => 'close"',
      () => '"quoted" tail',
      () => '" "',
    ])();
  const rows = Array.from({ length: 1 + Math.floor(random.next() * 12) }, () =>
    random.next() < 0.1 ? '' : Array.from({ length: 1 + Math.floor(random.next() * 5) }, cell).join(delimiter),
  );
  return rows.join(newline) + (random.next() < 0.5 ? newline : '');
}

describe('parseCsvRows', () => {
  it("gives papaparse's rows and errors for the whole text, on thousands of random tables", () => {
    const random = new SeededRandom(7);
    let withErrors = 0;
    let quotedWithoutErrors = 0;
    for (let n = 0; n < 4000; n += 1) {
      const delimiter = n % 2 === 0 ? ',' : '\t';
      const newline = NEWLINES[n % 3]!;
      const text = randomTable(random, delimiter, newline);
      const expected = papaparse(text, delimiter, newline);
      if (expected.errors.length > 0) withErrors += 1;
      else if (text.includes('"')) quotedWithoutErrors += 1;
      expect(parseCsvRows(text, delimiter, newline), JSON.stringify(text)).toEqual(expected);
    }
    // Both kinds of table with quotes were tried: papaparse finds unbalanced quotes in some, none in others.
    expect(withErrors).toBeGreaterThan(400);
    expect(quotedWithoutErrors).toBeGreaterThan(400);
  });

  it("gives papaparse's rows for ABIDE's phenotype table, whose few quoted cells hold commas", () => {
    const text = readFileSync(ABIDE.phenotype, 'utf8');
    const rows = parseCsvRows(text, ',', '\n');
    expect(rows).toEqual(papaparse(text, ',', '\n'));
    expect(rows.data.length).toBe(1114);
  });
});
