import {
  Alert,
  Box,
  Button,
  FormControlLabel,
  MenuItem,
  Stack,
  Step,
  StepLabel,
  Stepper,
  Switch,
  TextField,
  Typography,
} from '@mui/material';
import { useState } from 'react';
import {
  ImportSummary,
  LAYOUT_LABELS,
  type ImportLayout,
  type ImportProposal,
  type ImportRequest,
  type QcOptions,
} from '../../../../shared/api';
import { api } from '../../api/client';
import { useApiQuery } from '../../api/useApiQuery';
import { useJob } from '../../api/useJob';
import { JobProgress } from '../JobProgress';
import { PathField } from '../PathField';
import { MappingEditor } from './MappingEditor';
import { QcSummary } from './QcSummary';

const STEPS = ['Files', 'Layout and atlas', 'Columns and codes', 'Quality control', 'Import'];
const ATLAS_FILE = '__file__';

function optionalNumber(text: string): number | null {
  return text.trim() === '' ? null : Number(text);
}

/** Choose files, review the detected layout and mapping, preview QC, then import with progress and cancel. */
export function ImportWizard({ onImported, onClose }: { onImported: (cohortId: number) => void; onClose: () => void }) {
  const [step, setStep] = useState(0);
  const [phenotypePath, setPhenotypePath] = useState('');
  const [dataPath, setDataPath] = useState('');
  const [proposal, setProposal] = useState<ImportProposal | null>(null);
  const [request, setRequest] = useState<ImportRequest | null>(null);
  const [atlasFile, setAtlasFile] = useState('');
  const [detectError, setDetectError] = useState<string | null>(null);
  const atlases = useApiQuery(() => api.cohorts.atlases.query());
  const preview = useJob();
  const importing = useJob((status) => {
    if (status.state === 'done') onImported(ImportSummary.parse(status.result).cohortId!);
  });
  const previewSummary = preview.status?.state === 'done' ? ImportSummary.parse(preview.status.result) : null;
  const importSummary = importing.status?.state === 'done' ? ImportSummary.parse(importing.status.result) : null;

  const detect = async (): Promise<void> => {
    setDetectError(null);
    try {
      const found = await api.cohorts.detect.query({ phenotypePath, dataPath });
      setProposal(found);
      setRequest({
        phenotypePath,
        dataPath,
        name: found.suggestedName,
        layout: found.layout,
        atlas: found.atlas,
        mapping: found.mapping,
        qc: found.qc,
        matrixKind: 'auto',
      });
      setStep(1);
    } catch (error) {
      setDetectError((error as Error).message);
    }
  };

  const update = (patch: Partial<ImportRequest>): void => {
    setRequest((current) => (current ? { ...current, ...patch } : current));
    preview.reset();
  };
  const updateQc = (patch: Partial<QcOptions>): void => update({ qc: { ...request!.qc, ...patch } });
  const finalRequest = (): ImportRequest => ({ ...request!, atlas: request!.atlas === ATLAS_FILE ? atlasFile : request!.atlas });
  const atlasIsKnown =
    request?.atlas === null || request?.atlas === ATLAS_FILE || (atlases.data ?? []).some((a) => a.id === request?.atlas);

  return (
    <Box data-testid="import-wizard">
      <Stepper activeStep={step} sx={{ mb: 3 }}>
        {STEPS.map((label) => (
          <Step key={label}>
            <StepLabel>{label}</StepLabel>
          </Step>
        ))}
      </Stepper>

      {step === 0 && (
        <Stack spacing={2}>
          <Typography color="text.secondary">
            Paths are on the computer that runs NeuroLIP Studio. Nothing is changed in your files.
          </Typography>
          <PathField
            kind="file"
            label="Phenotype table (CSV or TSV)"
            value={phenotypePath}
            onChange={setPhenotypePath}
            testId="phenotype-path"
            helperText="e.g. Phenotypic_V1_0b_preprocessed1.csv, ADHD_phenotypic.csv or participants.tsv"
          />
          <PathField
            kind="folder"
            label="Folder of time series or connectivity matrices"
            value={dataPath}
            onChange={setDataPath}
            testId="data-path"
            helperText="e.g. rois_cc200/ (.1D, .tsv, .csv, .npy, .mat, optionally .gz)"
          />
          {detectError && (
            <Alert severity="error" data-testid="detect-error">
              {detectError}
            </Alert>
          )}
          <Stack direction="row" spacing={1}>
            <Button onClick={onClose}>Close</Button>
            <Button variant="contained" disabled={!phenotypePath || !dataPath} onClick={() => void detect()}>
              Detect layout
            </Button>
          </Stack>
        </Stack>
      )}

      {step === 1 && request && proposal && (
        <Stack spacing={2} sx={{ maxWidth: 720 }}>
          <Typography data-testid="detected-layout">
            Detected: <strong>{LAYOUT_LABELS[proposal.layout]}</strong>, {proposal.dataFiles} data files.
          </Typography>
          {proposal.notes.map((note) => (
            <Alert key={note} severity="info">
              {note}
            </Alert>
          ))}
          <TextField
            select
            size="small"
            label="Layout"
            value={request.layout}
            onChange={(event) => update({ layout: event.target.value as ImportLayout })}
          >
            {Object.entries(LAYOUT_LABELS).map(([id, label]) => (
              <MenuItem key={id} value={id}>
                {label}
              </MenuItem>
            ))}
          </TextField>
          <TextField
            size="small"
            label="Cohort name"
            value={request.name}
            onChange={(event) => update({ name: event.target.value })}
            slotProps={{ htmlInput: { 'data-testid': 'cohort-name' } }}
          />
          <TextField
            select
            size="small"
            label="Atlas"
            value={atlasIsKnown ? (request.atlas ?? '') : ATLAS_FILE}
            onChange={(event) => update({ atlas: event.target.value === '' ? null : event.target.value })}
            helperText="Names and MNI coordinates of the ROIs, for tables and the brain view"
            slotProps={{ select: { SelectDisplayProps: { 'data-testid': 'atlas-select' } as object } }}
          >
            <MenuItem value="">No atlas</MenuItem>
            {(atlases.data ?? []).map((atlas) => (
              <MenuItem key={atlas.id} value={atlas.id}>
                {atlas.name} {atlas.kind === 'project' ? '(in this project)' : '(built in)'}
              </MenuItem>
            ))}
            <MenuItem value={ATLAS_FILE}>An atlas file (CSV of labels and coordinates, or NIfTI label image)…</MenuItem>
          </TextField>
          {request.atlas === ATLAS_FILE && (
            <PathField
              kind="file"
              label="Atlas file"
              value={atlasFile}
              onChange={setAtlasFile}
              testId="atlas-path"
              helperText="e.g. CC200_ROI_labels.csv or a .nii.gz label image"
            />
          )}
          {request.layout === 'fc' && (
            <TextField
              select
              size="small"
              label="The matrices hold"
              value={request.matrixKind}
              onChange={(event) => update({ matrixKind: event.target.value as ImportRequest['matrixKind'] })}
            >
              <MenuItem value="auto">Decide from the values</MenuItem>
              <MenuItem value="correlation">Pearson correlations (r)</MenuItem>
              <MenuItem value="fisher-z">Fisher z values</MenuItem>
            </TextField>
          )}
          <Stack direction="row" spacing={1}>
            <Button onClick={() => setStep(0)}>Back</Button>
            <Button variant="contained" disabled={request.atlas === ATLAS_FILE && !atlasFile} onClick={() => setStep(2)}>
              Next
            </Button>
          </Stack>
        </Stack>
      )}

      {step === 2 && request && proposal && (
        <Stack spacing={2}>
          <MappingEditor mapping={request.mapping} columns={proposal.columns} onChange={(mapping) => update({ mapping })} />
          <Stack direction="row" spacing={1}>
            <Button onClick={() => setStep(1)}>Back</Button>
            <Button variant="contained" onClick={() => setStep(3)}>
              Next
            </Button>
          </Stack>
        </Stack>
      )}

      {step === 3 && request && (
        <Stack spacing={2}>
          <Stack direction="row" spacing={2} sx={{ flexWrap: 'wrap' }}>
            <TextField
              size="small"
              type="number"
              label="Max mean FD (mm)"
              helperText="Empty: no FD filter"
              defaultValue={request.qc.maxMeanFdMm ?? ''}
              onBlur={(event) => updateQc({ maxMeanFdMm: optionalNumber(event.target.value) })}
              slotProps={{ htmlInput: { step: 0.05, min: 0, 'data-testid': 'qc-max-fd' } }}
            />
            <TextField
              size="small"
              type="number"
              label="Min time points"
              defaultValue={request.qc.minTimePoints}
              onBlur={(event) => updateQc({ minTimePoints: Number(event.target.value) })}
              slotProps={{ htmlInput: { min: 10 } }}
            />
            <TextField
              size="small"
              type="number"
              label="Max empty ROIs"
              helperText="Empty: keep all, masked"
              defaultValue={request.qc.maxMissingRois ?? ''}
              onBlur={(event) => updateQc({ maxMissingRois: optionalNumber(event.target.value) })}
              slotProps={{ htmlInput: { min: 0 } }}
            />
            {request.layout === 'pcp' && (
              <FormControlLabel
                control={
                  <Switch
                    checked={request.qc.includeNoFilename}
                    onChange={(event) => updateQc({ includeNoFilename: event.target.checked })}
                  />
                }
                label="Match files whose row says FILE_ID = no_filename by SUB_ID"
              />
            )}
          </Stack>
          <Stack direction="row" spacing={1}>
            <Button onClick={() => setStep(2)}>Back</Button>
            <Button
              variant="contained"
              onClick={() => void preview.start(() => api.cohorts.preview.mutate(finalRequest()))}
              disabled={preview.status?.state === 'running'}
            >
              Check the files
            </Button>
            <Button variant="contained" color="secondary" disabled={!previewSummary} onClick={() => setStep(4)}>
              Next
            </Button>
          </Stack>
          <JobProgress job={preview} what="The check" />
          {previewSummary && <QcSummary summary={previewSummary} />}
        </Stack>
      )}

      {step === 4 && request && (
        <Stack spacing={2}>
          <Typography>
            Import <strong>{request.name}</strong> into this project: subjects, phenotypes, time series, connectivity and the atlas, in one
            step that either completes or leaves the project as it was.
          </Typography>
          <Stack direction="row" spacing={1}>
            <Button onClick={() => setStep(3)} disabled={importing.status?.state === 'running'}>
              Back
            </Button>
            <Button
              variant="contained"
              data-testid="start-import"
              disabled={importing.status?.state === 'running' || importSummary !== null}
              onClick={() => void importing.start(() => api.cohorts.import.mutate(finalRequest()))}
            >
              Import
            </Button>
          </Stack>
          <JobProgress job={importing} what="The import" />
          {importSummary && <QcSummary summary={importSummary} />}
        </Stack>
      )}
    </Box>
  );
}
