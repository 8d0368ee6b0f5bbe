import { describe, expect, it } from 'vitest';
import { predictionsCsv, toCsv } from './csv';

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

describe('predictionsCsv', () => {
  it('writes a line per subject with its groups last, a missing group empty', () => {
    const csv = predictionsCsv({
      attributes: ['sex', 'site'],
      rows: [
        {
          subject: '0050002',
          fold: 1,
          diagnosis: 'autism',
          patient: 1,
          patientProbability: 0.75,
          predicted: 'autism',
          groups: ['male', 'PITT'],
        },
        {
          subject: '0050003',
          fold: 2,
          diagnosis: 'control',
          patient: 0,
          patientProbability: 0.5,
          predicted: 'control',
          groups: [null, 'PITT'],
        },
      ],
    });
    expect(csv).toBe(
      'subject,fold,diagnosis,patient,patient_probability,predicted,sex,site\r\n' +
        '0050002,1,autism,1,0.75,autism,male,PITT\r\n' +
        '0050003,2,control,0,0.5,control,,PITT\r\n',
    );
  });
});
