import { Grid, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import type { SubjectRow } from '../../../../shared/api';

function countBy(subjects: SubjectRow[], category: (s: SubjectRow) => string, series: (s: SubjectRow) => string) {
  const categories = [...new Set(subjects.map(category))].sort();
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

/** Subjects by diagnosis and sex, and by site and diagnosis. */
export function DemographicsCharts({ subjects }: { subjects: SubjectRow[] }) {
  const bySex = countBy(
    subjects,
    (s) => s.diagnosis,
    (s) => s.sex ?? 'unknown sex',
  );
  const bySite = countBy(
    subjects,
    (s) => s.site ?? 'unknown site',
    (s) => s.diagnosis,
  );
  const ages = subjects.map((s) => s.age).filter((a): a is number => a !== null);
  const ageBins = ['<12', '12-17', '>=18'];
  const byAge = countBy(
    subjects.filter((s) => s.age !== null),
    (s) => (s.age! < 12 ? ageBins[0]! : s.age! < 18 ? ageBins[1]! : ageBins[2]!),
    (s) => s.diagnosis,
  );
  return (
    <Grid container spacing={2} data-testid="demographics">
      <Grid size={{ xs: 12, md: 4 }}>
        <Typography variant="subtitle2">Diagnosis by sex</Typography>
        <BarChart height={260} xAxis={[{ scaleType: 'band', data: bySex.categories }]} series={bySex.series} />
      </Grid>
      <Grid size={{ xs: 12, md: 5 }}>
        <Typography variant="subtitle2">Site by diagnosis</Typography>
        <BarChart height={260} xAxis={[{ scaleType: 'band', data: bySite.categories }]} series={bySite.series} />
      </Grid>
      <Grid size={{ xs: 12, md: 3 }}>
        <Typography variant="subtitle2">
          Age group by diagnosis ({ages.length} of {subjects.length} with an age)
        </Typography>
        <BarChart height={260} xAxis={[{ scaleType: 'band', data: byAge.categories }]} series={byAge.series} />
      </Grid>
    </Grid>
  );
}
