import { Grid, Typography } from '@mui/material';
import { BarChart } from '@mui/x-charts/BarChart';
import type { SubjectRow } from '../../../../shared/api';
import { AGE_GROUPS, ageGroup } from '../../../../shared/ageGroups';
import { countBy } from './demographicCounts';

/** Subjects by diagnosis and sex, by site and diagnosis, and by age group (in age order) and diagnosis. */
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
  const byAge = countBy(
    subjects.filter((s) => s.age !== null),
    (s) => ageGroup(s.age)!,
    (s) => s.diagnosis,
    AGE_GROUPS,
  );
  return (
    <Grid container spacing={2} data-testid="demographics">
      <Grid size={{ xs: 12, md: 4 }}>
        <Typography variant="subtitle2">Diagnosis by sex</Typography>
        <BarChart skipAnimation height={260} xAxis={[{ scaleType: 'band', data: bySex.categories }]} series={bySex.series} />
      </Grid>
      <Grid size={{ xs: 12, md: 5 }}>
        <Typography variant="subtitle2">Site by diagnosis</Typography>
        <BarChart
          skipAnimation
          height={300}
          xAxis={[
            {
              scaleType: 'band',
              data: bySite.categories,
              // Every site named: slanted, so that ten or twenty site names fit without dropping any.
              tickLabelInterval: () => true,
              tickLabelStyle: { angle: -45, textAnchor: 'end', fontSize: 11 },
              height: 'auto',
            },
          ]}
          series={bySite.series}
        />
      </Grid>
      <Grid size={{ xs: 12, md: 3 }}>
        <Typography variant="subtitle2">
          Age group by diagnosis ({ages.length} of {subjects.length} with an age)
        </Typography>
        <BarChart
          skipAnimation
          height={260}
          xAxis={[{ scaleType: 'band', data: byAge.categories, tickLabelInterval: () => true }]}
          series={byAge.series}
        />
      </Grid>
    </Grid>
  );
}
