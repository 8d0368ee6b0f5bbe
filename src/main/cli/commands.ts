import { spawn } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppInfo } from '../../shared/api';
import { builtEntry } from '../builtEntry';
import { Core } from '../core';
import { startLocalServer } from '../server/localServer';
import { defaultProjectPath } from '../store/defaultProjectPath';
import { parseCommandArgs, parsePort } from './args';
import { projectPath } from './projectOption';
import { lockTakeOver, TAKE_OVER_LOCK_FLAG } from './writableProject';
import { desktopUnavailableReason, electronBinary } from './desktopAvailability';
import { electronSqliteBinding } from './electronSqlite';

/** out/main, where the built CLI is (this module may be built into out/main/chunks). */
const here = dirname(builtEntry('cli.js', import.meta.url) ?? fileURLToPath(import.meta.url));
/** The built renderer, next to the built CLI in out/. */
const RENDERER_DIR = resolve(here, '../renderer');
const APP_ROOT = resolve(here, '../..');

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export async function serveCommand(args: string[], reason?: string): Promise<void> {
  const values = parseCommandArgs('serve', args, {
    project: { type: 'string' },
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string' },
    'read-only-copy': { type: 'boolean', default: false },
    ...TAKE_OVER_LOCK_FLAG,
  });
  const host = values.host;
  const port = parsePort(values.port);
  const core = Core.open({
    projectPath: projectPath(values.project),
    shell: 'server',
    readOnlyCopy: values['read-only-copy'],
    takeOverLock: lockTakeOver(values['take-over-lock']),
  });
  if (core.store.readOnlyCopyOf !== null)
    console.log(`Opened a read-only copy of the damaged ${core.store.readOnlyCopyOf}: ${core.store.path}. The original was not changed.`);
  const server = await startLocalServer({ core, host, port, staticDir: RENDERER_DIR });
  if (reason) console.log(`No desktop window: ${reason}. Serving the same UI in your browser instead.`);
  if (!LOOPBACK.has(host)) {
    console.warn(
      `Warning: listening on ${host}, not 127.0.0.1. Anyone who can reach this address and has the token can read this project.`,
    );
  }
  console.log(`NeuroLIP Studio at ${server.url}`);
  const stop = (): void => {
    void server.close().then(() => {
      core.close();
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export async function infoCommand(args: string[]): Promise<void> {
  const values = parseCommandArgs('info', args, { project: { type: 'string' }, json: { type: 'boolean', default: false } });
  const core = Core.open({ projectPath: projectPath(values.project), shell: 'cli' });
  try {
    const info = await core.info();
    console.log(values.json ? JSON.stringify(info, null, 2) : formatInfo(info));
  } finally {
    core.close();
  }
}

export function formatInfo(info: AppInfo): string {
  const lines = [
    `NeuroLIP Studio ${info.appVersion}`,
    `Project:  ${info.projectPath} (schema ${info.projectSchemaVersion}; this app writes schema ${info.schemaVersion})`,
    `Back end: ${info.backend.name}, ${info.backend.label}`,
    ...info.backend.attempts.filter((a) => !a.ok).map((a) => `          ${a.name} not used: ${a.reason}`),
    `Versions: node ${info.versions.node}, SQLite ${info.versions.sqlite}, TensorFlow.js ${info.versions.tfjs}${info.versions.electron ? `, Electron ${info.versions.electron}` : ''}`,
    `Platform: ${info.platform}`,
  ];
  return lines.join('\n');
}

/** `npm start`: the desktop window where Electron and a display exist, the local server otherwise. */
export async function startCommand(args: string[]): Promise<void> {
  const binary = electronBinary();
  const reason = desktopUnavailableReason(binary);
  if (reason !== null || binary === null) return serveCommand(args, reason ?? undefined);
  const sqliteBinding = electronSqliteBinding(binary, join(APP_ROOT, '.native'));
  const child = spawn(binary, [APP_ROOT, ...args], {
    stdio: 'inherit',
    env: { ...process.env, NEUROLIP_SQLITE_BINDING: sqliteBinding },
  });
  child.on('exit', (code) => process.exit(code ?? 0));
}

export const ENTRY_HELP = `Usage: neurolip <command> [options]

Commands:
  start   [--project FILE] [--take-over-lock]               desktop window, or the local server where there is none
  serve   [--project FILE] [--host 127.0.0.1] [--port N]    serve the UI on this machine, with an access token
          [--read-only-copy]                                 copy a damaged project aside and open the copy read-only
          [--take-over-lock]                                 open a project another computer's lock says is open there
                                                             (import, demo, train and compare take it too)
  info    [--project FILE] [--json]                         versions, project and TensorFlow.js back end
  import  --phenotype CSV --timeseries DIR [--project FILE] [--name NAME] [--format auto|pcp|adhd200|bids|fc]
          [--atlas ID|FILE|none] [--mapping FILE] [--max-fd MM] [--min-timepoints N] [--max-missing-rois N]
          [--include-no-filename] [--matrix-kind auto|correlation|fisher-z] [--dry-run] [--json]
  cohorts [--project FILE] [--json]                         list the project's cohorts
  demo    [--project FILE] [--subjects N] [--seed S] [--json]  generate and import the synthetic demo cohort
  train   --cohort NAME [--project FILE] [--variant neurolip|neurolip-v1|neurolip-nofair|clip-global|logreg-fc] [--protocol kfold5|loso]
          [--epochs N] [--patience N] [--seed S | --seeds 0,1,2] [--d N] [--layers N] [--batch-size N] [--sensitive sex,age,site,COLUMN]
          [--patients LABEL,...] [--config FILE.json] [--backend tensorflow-gpu|tensorflow|wasm|cpu] [--json]
          train --resume RUN [--project FILE]                resume an interrupted run from its checkpoints
  compare --cohort NAME [--project FILE] [--variants neurolip,neurolip-nofair,logreg-fc] [--protocol kfold5|loso]
          [--seeds 0,1,2] [--config FILE.json] [other train flags] [--markdown FILE.md] [--json]
                                                             every variant and seed on the same folds: the table of docs/model.md
  runs    [--project FILE] [--json]                         list training runs
  show-run --run ID [--project FILE]                        one run's stored result, as JSON
  export --run ID[,ID...] --format html|pdf --out PATH [--project FILE] [--include-subject-ids]
                                                            a run's report, or a comparison of runs: self-contained HTML, or PDF (chromium)
  export --run ID --format csv --out PATH [--project FILE]  a run's out-of-fold predictions, a line per subject (with its ID)
  bench   import [--shared-data DIR] [--python PATH] [--subjects N] [--rounds N]  import speed against numpy
  bench   train [--subjects N] [--rois N] [--epochs N] [--reference DIR]  epoch time against the PyTorch reference
  bench   render [--rois N] [--edges N] [--seconds S] [--rounds N] [--chromium PATH]  brain view fps against a bare three.js scene

train and compare write their progress and the time left to stderr (one line a minute, and one per
fold event, when stderr is a file), and their results to stdout.
The project defaults to ${join('<user data folder>', 'default.neurolip')} (${defaultProjectPath()}).`;
