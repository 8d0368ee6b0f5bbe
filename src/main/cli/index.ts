import { ProjectFileError } from '../store/projectFile';
import { ProjectLockedError } from '../store/projectLock';
import { ProjectWriteError } from '../store/writeFailure';
import { ModelTooLargeError } from '../model/memoryEstimate';
import { UsageError } from './args';
import { ImportError } from '../cohort/importError';
import { benchCommand } from './benchCommand';
import { compareCommand } from './compareCommand';
import { exportCommand } from './exportCommand';
import { runsCommand, showRunCommand, trainCommand } from './trainCommands';
import { ENTRY_HELP, infoCommand, serveCommand, startCommand } from './commands';
import { cohortsCommand, demoCommand, deriveAtlasesCommand, importCommand } from './importCommands';

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = {
  start: startCommand,
  serve: serveCommand,
  info: infoCommand,
  import: importCommand,
  cohorts: cohortsCommand,
  demo: demoCommand,
  bench: benchCommand,
  train: trainCommand,
  compare: compareCommand,
  runs: runsCommand,
  'show-run': showRunCommand,
  export: exportCommand,
  'derive-atlases': deriveAtlasesCommand,
};

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log(ENTRY_HELP);
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${name}".\n\n${ENTRY_HELP}`);
  await command(args);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (
    error instanceof UsageError ||
    error instanceof ProjectFileError ||
    error instanceof ProjectLockedError ||
    error instanceof ProjectWriteError ||
    error instanceof ModelTooLargeError ||
    error instanceof ImportError
  ) {
    console.error(error.message);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
