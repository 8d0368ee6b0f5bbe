// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { SensitiveAttributeOption } from '../../../../shared/api';
import { SensitiveAttributePicker } from './SensitiveAttributePicker';

afterEach(cleanup);

const option = (name: string, groups: [string, number][]): SensitiveAttributeOption => ({
  name,
  groups: groups.map(([value, n]) => ({ value, n })),
  missing: 0,
});

// Leuven_1 and OHSU of ABIDE: every subject is male.
const options = [
  option('sex', [['male', 55]]),
  option('ageGroup', [
    ['12-17', 20],
    ['<12', 21],
    ['>=18', 14],
  ]),
  option('site', [
    ['LEUVEN_1', 29],
    ['OHSU', 26],
  ]),
];

describe('SensitiveAttributePicker', () => {
  it('shows a built-in attribute with one group unticked and disabled, saying why, and leaves the others to tick', () => {
    const changes: string[][] = [];
    render(<SensitiveAttributePicker options={options} chosen={['sex', 'ageGroup', 'site']} onChange={(c) => changes.push(c)} />);
    const sex = screen.getByTestId('sensitive-sex') as HTMLInputElement;
    expect(sex.checked).toBe(false);
    expect(sex.disabled).toBe(true);
    expect(screen.getByText('Sex (male only in this cohort: nothing to compare)')).toBeTruthy();
    const site = screen.getByTestId('sensitive-site') as HTMLInputElement;
    expect([site.checked, site.disabled]).toEqual([true, false]);
    expect(screen.getByText('Site (2 groups)')).toBeTruthy();
    fireEvent.click(site);
    expect(changes).toEqual([['sex', 'ageGroup']]);
  });

  it('says so when no subject has a value', () => {
    render(<SensitiveAttributePicker options={[{ ...options[0]!, groups: [] }]} chosen={['sex']} onChange={() => undefined} />);
    expect(screen.getByText('Sex (no values in this cohort: nothing to compare)')).toBeTruthy();
    expect((screen.getByTestId('sensitive-sex') as HTMLInputElement).disabled).toBe(true);
  });
});
