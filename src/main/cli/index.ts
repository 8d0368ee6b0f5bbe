import { UsageError } from './args';

type Command = (args: string[]) => Promise<void>;

/**
 * Each command's modules load only when it runs: `neurolip import` starts its worker threads
 * before it loads the rest of the import, and never loads TensorFlow.js or the server.
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./commands')).startCommand,
  serve: async () => (await import('./commands')).serveCommand,
  info: async () => (await import('./commands')).infoCommand,
  import: async () => (await import('./importCommand')).importCommand,
  cohorts: async () => (await import('./importCommands')).cohortsCommand,
  demo: async () => (await import('./importCommands')).demoCommand,
  bench: async () => (await import('./benchCommand')).benchCommand,
  train: async () => (await import('./trainCommands')).trainCommand,
  compare: async () => (await import('./compareCommand')).compareCommand,
  runs: async () => (await import('./trainCommands')).runsCommand,
  'show-run': async () => (await import('./trainCommands')).showRunCommand,
  export: async () => (await import('./exportCommand')).exportCommand,
  'derive-atlases': async () => (await import('./importCommands')).deriveAtlasesCommand,
};

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    console.log((await import('./commands')).ENTRY_HELP);
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new UsageError(`Unknown command "${name}".\n\n${(await import('./commands')).ENTRY_HELP}`);
  await (
    await command()
  )(args);
}

main(process.argv.slice(2)).catch(async (error: unknown) => {
  if (error instanceof UsageError || (await import('./userErrors')).isUserError(error)) {
    console.error((error as Error).message);
    process.exit(2);
  }
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
