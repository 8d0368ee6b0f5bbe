import type { SubjectRow } from '../../../../shared/api';

/** Counts per category and series; categories in `order` where given (age groups), else alphabetical. */
export function countBy(
  subjects: SubjectRow[],
  category: (s: SubjectRow) => string,
  series: (s: SubjectRow) => string,
  order?: readonly string[],
) {
  const present = new Set(subjects.map(category));
  const categories = order ? order.filter((c) => present.has(c)) : [...present].sort();
  const seriesNames = [...new Set(subjects.map(series))].sort();
  return {
    categories,
    series: seriesNames.map((name) => ({
      label: name,
      stack: 'total',
      data: categories.map((c) => subjects.filter((s) => category(s) === c && series(s) === name).length),
    })),
  };
}
