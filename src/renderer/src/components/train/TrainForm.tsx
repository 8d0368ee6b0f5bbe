import ExpandMoreIcon from '@mui/icons-material/ExpandMore';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Alert,
  Box,
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
import { useEffect, useState } from 'react';
import type { CohortListItem, JobStatus, SensitiveAttributeOption } from '../../../../shared/api';
import { TRAINING_PRESETS } from '../../../../shared/trainDefaults';
import { api } from '../../api/client';
import { AttributeTicks } from './AttributeTicks';
import { DiagnosisTarget } from './DiagnosisTarget';
import { LinearMemberFields } from './LinearMemberFields';
import { SensitiveAttributePicker } from './SensitiveAttributePicker';
import {
  ADVANCED_FIELDS,
  ADVANCED_SECTIONS,
  choiceHelperText,
  configFromSettings,
  defaultErasure,
  defaultOffsets,
  defaultsText,
  erasureFor,
  erasureText,
  hasGroupsToCompare,
  linearMemberFor,
  type LinearMemberKey,
  SETTING_CHOICES,
  MAX_REPEATS,
  memberSettingsText,
  offsetsFor,
  offsetsText,
  repeatSeeds,
  toggled,
  VARIANTS,
  type AdvancedKey,
  type ChoiceKey,
  type PresetId,
} from './presets';

/** The fields the user (or a preset) filled in; a blank field takes each variant's own default. */
type Settings = Partial<Record<AdvancedKey, number>> & Partial<Record<ChoiceKey, string>>;

/** The settings with one field set from its text box, or removed when the box is cleared. */
function withField(settings: Settings, key: AdvancedKey, text: string): Settings {
  const next = { ...settings };
  if (text === '') delete next[key];
  else next[key] = Number(text);
  return next;
}

/** The settings with one listed choice set, or removed when "default" is chosen. */
function withChoice(settings: Settings, key: ChoiceKey, value: string): Settings {
  const next = { ...settings };
  if (value === '') delete next[key];
  else next[key] = value;
  return next;
}

/** Half the panel's width for a short label, the whole width where a long one would be cut off. */
function fieldWidth(label: string): number {
  return label.length <= 26 ? 6 : 12;
}

/** Choose the cohort, variants, protocol, sensitive attributes and hyper-parameters, then queue the runs. */
export function TrainForm({ cohorts, onQueued }: { cohorts: CohortListItem[]; onQueued: (jobs: JobStatus[]) => void }) {
  const [cohortId, setCohortId] = useState<number | ''>(cohorts[0]?.id ?? '');
  const [variants, setVariants] = useState<string[]>(['neurolip', 'neurolip-nofair']);
  const [protocol, setProtocol] = useState<'kfold5' | 'loso'>('kfold5');
  const [sensitive, setSensitive] = useState<string[]>(['sex', 'ageGroup', 'site']);
  /** The patient groups trained against the controls; null: every group the cohort has. */
  const [patients, setPatients] = useState<string[] | null>(null);
  /** The attributes whose groups offset the prediction; null keeps each variant's default. */
  const [offsets, setOffsets] = useState<string[] | null>(null);
  /** The attributes whose group differences are erased from the embedding; null keeps each variant's default. */
  const [erased, setErased] = useState<string[] | null>(null);
  const [preset, setPreset] = useState<PresetId>('quick');
  const [settings, setSettings] = useState<Settings>({ ...TRAINING_PRESETS.quick.config });
  /** The mixed ensemble's linear member's fields the user changed; blank keeps the default. */
  const [linearMember, setLinearMember] = useState<Partial<Record<LinearMemberKey, string>>>({});
  const [firstSeed, setFirstSeed] = useState(0);
  const [repeats, setRepeats] = useState(1);
  const [error, setError] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);
  const [options, setOptions] = useState<SensitiveAttributeOption[]>([]);
  useEffect(() => {
    if (cohortId === '') return;
    let current = true;
    api.runs.sensitiveAttributes
      .query({ cohortId })
      .then((found) => {
        if (!current) return;
        setOptions(found);
        setPatients(null);
        setSensitive((chosen) => chosen.filter((name) => found.some((option) => option.name === name)));
      })
      .catch((cause: unknown) => current && setError((cause as Error).message));
    return () => {
      current = false;
    };
  }, [cohortId]);
  const comparable = sensitive.filter((name) => {
    const option = options.find((o) => o.name === name);
    return option === undefined || hasGroupsToCompare(option);
  });
  const siteOption = options.find((o) => o.name === 'site');
  const oneSite = siteOption !== undefined && !hasGroupsToCompare(siteOption);
  const chosenProtocol = oneSite ? 'kfold5' : protocol;
  const seeds = repeatSeeds(firstSeed, repeats);
  const mixedText = memberSettingsText(variants);
  const runCount = variants.length * seeds.length;

  const choosePreset = (id: PresetId): void => {
    setPreset(id);
    setSettings({ ...TRAINING_PRESETS[id].config });
  };

  const start = async (): Promise<void> => {
    if (cohortId === '') return;
    setError(null);
    setStarting(true);
    try {
      if (seeds.length === 0) throw new Error(`Repeats must be a whole number from 1 to ${MAX_REPEATS}.`);
      if (patients?.length === 0) throw new Error('Tick at least one patient group to predict.');
      const jobs: JobStatus[] = [];
      for (const seed of seeds) {
        for (const variant of variants) {
          jobs.push(
            await api.runs.train.mutate({
              cohortId,
              protocol: chosenProtocol,
              config: {
                ...configFromSettings(settings),
                seed,
                variant,
                sensitive: comparable,
                patientGroups: patients ?? [],
                ...offsetsFor(variant, offsets, comparable, settings),
                ...erasureFor(variant, erased, comparable),
                ...linearMemberFor(variant, linearMember, settings),
              },
            }),
          );
        }
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
      {cohortId !== '' && <DiagnosisTarget cohortId={cohortId} chosen={patients} onChange={setPatients} />}
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 5, lg: 7 }}>
          <FormControl>
            <FormLabel>Variants</FormLabel>
            <FormGroup>
              {VARIANTS.map((variant) => (
                <FormControlLabel
                  key={variant.id}
                  control={<Checkbox checked={variants.includes(variant.id)} onChange={() => setVariants(toggled(variants, variant.id))} />}
                  label={variant.label}
                />
              ))}
            </FormGroup>
          </FormControl>
        </Grid>
        <Grid size={{ xs: 12, md: 3, lg: 5 }}>
          <FormControl>
            <FormLabel>Protocol</FormLabel>
            <RadioGroup value={chosenProtocol} onChange={(event) => setProtocol(event.target.value as 'kfold5' | 'loso')}>
              <FormControlLabel value="kfold5" control={<Radio />} label="Stratified 5-fold" />
              <FormControlLabel
                value="loso"
                control={<Radio />}
                disabled={oneSite}
                label={oneSite ? 'Leave one site out (this cohort has one site)' : 'Leave one site out'}
              />
            </RadioGroup>
          </FormControl>
          <TextField
            size="small"
            type="number"
            label="Repeats (seeds)"
            value={repeats}
            onChange={(event) => setRepeats(Number(event.target.value))}
            error={seeds.length === 0}
            helperText={
              seeds.length === 0
                ? `1 to ${MAX_REPEATS}`
                : seeds.length === 1
                  ? `seed ${seeds[0]}`
                  : `seeds ${seeds[0]} to ${seeds.at(-1)}, each its own run`
            }
            slotProps={{ htmlInput: { min: 1, max: MAX_REPEATS, step: 1, 'data-testid': 'train-repeats' } }}
            sx={{ mt: 1, width: 150 }}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 4, lg: 12 }}>
          <SensitiveAttributePicker options={options} chosen={sensitive} onChange={setSensitive} />
          <AttributeTicks
            label="Offset the prediction per group of"
            attributes={comparable}
            ticked={offsets ?? defaultOffsets(comparable)}
            onChange={setOffsets}
            testId="offset"
            helper={offsetsText(variants, settings)}
            helperTestId="offsets-text"
          />
          <AttributeTicks
            label="After training, erase from the embedding the group differences of"
            attributes={comparable}
            ticked={erased ?? defaultErasure(comparable)}
            onChange={setErased}
            testId="erase"
            helper={erasureText(variants)}
            helperTestId="erasure-text"
          />
        </Grid>
      </Grid>
      <TextField select size="small" label="Preset" value={preset} onChange={(event) => choosePreset(event.target.value as PresetId)}>
        {Object.entries(TRAINING_PRESETS).map(([id, p]) => (
          <MenuItem key={id} value={id}>
            {p.label}
          </MenuItem>
        ))}
      </TextField>
      <Accordion disableGutters>
        <AccordionSummary expandIcon={<ExpandMoreIcon />}>Advanced</AccordionSummary>
        <AccordionDetails>
          {ADVANCED_SECTIONS.map((section) => (
            <Box key={section.id} component="section" aria-label={section.title} sx={{ mb: 2 }}>
              <Typography variant="subtitle2" component="h3" sx={{ mb: 1.5 }}>
                {section.title}
              </Typography>
              <Grid container spacing={2}>
                {ADVANCED_FIELDS.filter((field) => field.section === section.id).map((field) => (
                  <Grid key={field.key} size={fieldWidth(field.label)}>
                    <TextField
                      size="small"
                      type="number"
                      fullWidth
                      label={field.label}
                      value={settings[field.key] ?? ''}
                      onChange={(event) => setSettings(withField(settings, field.key, event.target.value))}
                      helperText={defaultsText(variants, field.key)}
                      slotProps={{ htmlInput: { step: field.step, 'data-testid': `advanced-${field.key}` } }}
                    />
                  </Grid>
                ))}
                {SETTING_CHOICES.filter((choice) => choice.section === section.id).map((choice) => (
                  <Grid key={choice.key} size={12}>
                    <TextField
                      select
                      size="small"
                      fullWidth
                      label={choice.label}
                      value={settings[choice.key] ?? ''}
                      onChange={(event) => setSettings(withChoice(settings, choice.key, event.target.value))}
                      helperText={choiceHelperText(
                        variants,
                        choice.key,
                        cohorts.find((cohort) => cohort.id === cohortId),
                      )}
                      slotProps={{ select: { SelectDisplayProps: { 'data-testid': `advanced-${choice.key}` } as object } }}
                    >
                      <MenuItem value="">default</MenuItem>
                      {choice.options.map((option) => (
                        <MenuItem key={option.value} value={option.value} sx={{ whiteSpace: 'normal' }}>
                          {option.label}
                        </MenuItem>
                      ))}
                    </TextField>
                  </Grid>
                ))}
                {section.id === 'training' && (
                  <Grid size={6}>
                    <TextField
                      size="small"
                      type="number"
                      fullWidth
                      label="Seed (first)"
                      value={firstSeed}
                      onChange={(event) => setFirstSeed(Number(event.target.value))}
                      slotProps={{ htmlInput: { step: 1, min: 0, 'data-testid': 'advanced-seed' } }}
                    />
                  </Grid>
                )}
                {section.id === 'training' && mixedText && (
                  <Grid size={12}>
                    <Typography
                      variant="caption"
                      color="text.secondary"
                      sx={{ overflowWrap: 'anywhere' }}
                      data-testid="member-settings-text"
                    >
                      {mixedText}
                    </Typography>
                  </Grid>
                )}
              </Grid>
            </Box>
          ))}
          <LinearMemberFields variants={variants} settings={settings} changed={linearMember} onChange={setLinearMember} />
        </AccordionDetails>
      </Accordion>
      {error && (
        <Alert severity="error" data-testid="train-error">
          {error}
        </Alert>
      )}
      <Button
        variant="contained"
        disabled={cohortId === '' || variants.length === 0 || seeds.length === 0 || starting}
        onClick={() => void start()}
        data-testid="start-training"
      >
        Start {runCount > 1 ? `${runCount} runs` : 'the run'}
      </Button>
    </Stack>
  );
}
