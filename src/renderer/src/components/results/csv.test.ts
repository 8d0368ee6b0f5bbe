import { describe, expect, it } from 'vitest';
import { toCsv } from './csv';

describe('toCsv', () => {
  it('quotes cells with commas, quotes and line breaks, and leaves nulls empty', () => {
    expect(
      toCsv(
        ['group', 'n', 'note'],
        [
          ['Left, Frontal', 12, 'say "hi"'],
          ['B', null, 'a\nb'],
        ],
      ),
    ).toBe('group,n,note\r\n"Left, Frontal",12,"say ""hi"""\r\nB,,"a\nb"\r\n');
  });
});
