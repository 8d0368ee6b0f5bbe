import type { NeurolipBridge } from '../../shared/ipc';

declare global {
  interface Window {
    /** Present in the desktop app only: the preload's IPC pipe to the main process. */
    neurolip?: NeurolipBridge;
  }
}
