import { fork } from 'node:child_process';
import type { FoldTask, TrainerMessage } from './foldTask';

/** A running trainer process, whatever started it. */
export interface TrainerHandle {
  send(message: FoldTask | { type: 'cancel' }): void;
  onMessage(listener: (message: TrainerMessage) => void): void;
  /** `reason`: the signal, or "exit code N". */
  onExit(listener: (reason: string) => void): void;
  kill(): void;
}

export type TrainerLauncher = (script: string) => TrainerHandle;

/** Node's child_process.fork: the CLI and the local server, which run in plain Node. */
const forkTrainer: TrainerLauncher = (script) => {
  const child = fork(script, [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    send: (message) => child.send(message),
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', (code, signal) => listener(signal ?? `exit code ${code}`)),
    kill: () => child.kill(),
  };
};

let launcher: TrainerLauncher = forkTrainer;

/**
 * The desktop app replaces the launcher with Electron's utilityProcess: the packaged app has the
 * RunAsNode fuse off, which stops child_process.fork from working inside Electron.
 */
export function useTrainerLauncher(replacement: TrainerLauncher): void {
  launcher = replacement;
}

export function launchTrainer(script: string): TrainerHandle {
  return launcher(script);
}
