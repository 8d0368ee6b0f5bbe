import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Alert,
  Button,
  Checkbox,
  FormControl,
  FormControlLabel,
  FormGroup,
  FormLabel,
  Grid,
  MenuItem,
  Radio,
  RadioGroup,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import type { CohortListItem, JobStatus } from '../../../../shared/api';
import { api } from '../../api/client';
import { ADVANCED_FIELDS, PRESETS, SENSITIVE, SPEC_DEFAULTS, VARIANTS, type PresetId } from './presets';

type Settings = Record<(typeof ADVANCED_FIELDS)[number]['key'], number>;

/** Choose the cohort, variants, protocol, sensitive attributes and hyper-parameters, then queue the runs. */
export function TrainForm({ cohorts, onQueued }: { cohorts: CohortListItem[]; onQueued: (jobs: JobStatus[]) => void }) {
  const [cohortId, setCohortId] = useState<number | ''>(cohorts[0]?.id ?? '');
  const [variants, setVariants] = useState<string[]>(['neurolip', 'neurolip-nofair']);
  const [protocol, setProtocol] = useState<'kfold5' | 'loso'>('kfold5');
  const [sensitive, setSensitive] = useState<string[]>(['sex', 'ageGroup', 'site']);
  const [preset, setPreset] = useState<PresetId>('quick');
  const [settings, setSettings] = useState<Settings>({ ...SPEC_DEFAULTS, ...PRESETS.quick.config });
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  const toggle = (list: string[], value: string): string[] => (list.includes(value) ? list.filter((v) => v !== value) : [...list, value]);
  const choosePreset = (id: PresetId): void => {
    setPreset(id);
    setSettings({ ...settings, ...PRESETS[id].config });
  };

  const start = async (): Promise<void> => {
    if (cohortId === '') return;
    setError(null);
    setStarting(true);
    try {
      const jobs: JobStatus[] = [];
      for (const variant of variants) {
        jobs.push(await api.runs.train.mutate({ cohortId, protocol, config: { ...settings, variant, sensitive } }));
      }
      onQueued(jobs);
    } catch (cause) {
      setError((cause as Error).message);
    } finally {
      setStarting(false);
    }
  };

  return (
    <Stack spacing={2} data-testid="train-form">
      <TextField
        select
        size="small"
        label="Cohort"
        value={cohortId}
        onChange={(event) => setCohortId(Number(event.target.value))}
        slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'train-cohort' } as object } }}
      >
        {cohorts.map((cohort) => (
          <MenuItem key={cohort.id} value={cohort.id}>
            {cohort.name} ({cohort.subjects} subjects, {cohort.rois} ROIs)
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" color="text.secondary">
        Target: diagnosis (the cohort's control group against its patients).
      </Typography>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 5 }}>
          <FormControl>
            <FormLabel>Variants</FormLabel>
            <FormGroup>
              {VARIANTS.map((variant) => (
                <FormControlLabel
                  key={variant.id}
                  control={<Checkbox checked={variants.includes(variant.id)} onChange={() => setVariants(toggle(variants, variant.id))} />}
                  label={variant.label}
                />
              ))}
            </FormGroup>
          </FormControl>
        </Grid>
        <Grid size={{ xs: 12, md: 3 }}>
          <FormControl>
            <FormLabel>Protocol</FormLabel>
            <RadioGroup value={protocol} onChange={(event) => setProtocol(event.target.value as 'kfold5' | 'loso')}>
              <FormControlLabel value="kfold5" control={<Radio />} label="Stratified 5-fold" />
              <FormControlLabel value="loso" control={<Radio />} label="Leave one site out" />
            </RadioGroup>
          </FormControl>
        </Grid>
        <Grid size={{ xs: 12, md: 4 }}>
          <FormControl>
            <FormLabel>Sensitive attributes</FormLabel>
            <FormGroup>
              {SENSITIVE.map((attribute) => (
                <FormControlLabel
                  key={attribute.id}
                  control={
                    <Checkbox checked={sensitive.includes(attribute.id)} onChange={() => setSensitive(toggle(sensitive, attribute.id))} />
                  }
                  label={attribute.label}
                />
              ))}
            </FormGroup>
          </FormControl>
        </Grid>
      </Grid>
      <TextField select size="small" label="Preset" value={preset} onChange={(event) => choosePreset(event.target.value as PresetId)}>
        {Object.entries(PRESETS).map(([id, p]) => (
          <MenuItem key={id} value={id}>
            {p.label}
          </MenuItem>
        ))}
      </TextField>
      <Accordion disableGutters>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>Advanced</AccordionSummary>
        <AccordionDetails>
          <Grid container spacing={2}>
            {ADVANCED_FIELDS.map((field) => (
              <Grid key={field.key} size={{ xs: 6, md: 3 }}>
                <TextField
                  size="small"
                  type="number"
                  label={field.label}
                  value={settings[field.key]}
                  onChange={(event) => setSettings({ ...settings, [field.key]: Number(event.target.value) })}
                  helperText={`spec default ${SPEC_DEFAULTS[field.key]}`}
                  slotProps={{ htmlInput: { step: field.step, 'data-testid': `advanced-${field.key}` } }}
                />
              </Grid>
            ))}
          </Grid>
        </AccordionDetails>
      </Accordion>
      {error && (
        <Alert severity="error" data-testid="train-error">
          {error}
        </Alert>
      )}
      <Button
        variant="contained"
        disabled={cohortId === '' || variants.length === 0 || starting}
        onClick={() => void start()}
        data-testid="start-training"
      >
        Start {variants.length > 1 ? `${variants.length} runs` : 'the run'}
      </Button>
    </Stack>
  );
}
