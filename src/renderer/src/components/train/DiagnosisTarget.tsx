import { Alert, Checkbox, FormControlLabel, FormGroup, Typography } from '@mui/material';
import { useEffect, useState } from 'react';
import type { DiagnosisGroups } from '../../../../shared/api';
import { api } from '../../api/client';
import { toggled } from './presets';

/**
 * What the runs predict: the cohort's controls against its patients. A cohort with several patient
 * groups (ADHD-200's subtypes imported apart) gets a tick per group: the ticked ones form the
 * patient class, and the others' subjects are left out. `chosen` null means every group.
 */
export function DiagnosisTarget({
  cohortId,
  chosen,
  onChange,
}: {
  cohortId: number;
  chosen: string[] | null;
  onChange: (chosen: string[] | null) => void;
}) {
  const [groups, setGroups] = useState<DiagnosisGroups | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setGroups(null);
    setError(null);
    api.runs.diagnosisGroups
      .query({ cohortId })
      .then((found) => current && setGroups(found))
      .catch((cause: unknown) => current && setError((cause as Error).message));
    return () => {
      current = false;
    };
  }, [cohortId]);
  if (error) return <Alert severity="error">{`The cohort's diagnosis groups could not be read: ${error}`}</Alert>;
  if (!groups) return null;
  const { control, patients } = groups;
  if (patients.length <= 1)
    return (
      <Typography variant="body2" color="text.secondary" data-testid="diagnosis-target">
        Target: diagnosis, {patients[0] ? `${patients[0].label} (${patients[0].n})` : 'no patient group'} against {control.label} (
        {control.n}).
      </Typography>
    );
  const ticked = chosen ?? patients.map((group) => group.label);
  return (
    <div>
      <Typography variant="body2" color="text.secondary" data-testid="diagnosis-target">
        Target: diagnosis, the ticked patient groups together against {control.label} ({control.n}); the others’ subjects are left out.
      </Typography>
      <FormGroup row>
        {patients.map((group) => (
          <FormControlLabel
            key={group.label}
            control={
              <Checkbox
                checked={ticked.includes(group.label)}
                onChange={() => {
                  const next = toggled(ticked, group.label);
                  onChange(next.length === patients.length ? null : next);
                }}
                slotProps={{ input: { 'data-testid': `patients-${group.label}` } as object }}
              />
            }
            label={`${group.label} (${group.n})`}
          />
        ))}
      </FormGroup>
    </div>
  );
}
