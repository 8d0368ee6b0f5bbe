import { version as appVersion } from '../../package.json';
import type { AppInfo, Shell } from '../shared/api';
import { JobManager } from './jobs/jobManager';
import { SerialQueue } from './jobs/serialQueue';
import { chromiumPdf, type PdfPrinter } from './report/printPdf';
import { LATEST_SCHEMA_VERSION } from './store/migrations';
import { acquireProjectLock, type LockTakeOver, type ProjectLock } from './store/projectLock';
import { ProjectStore } from './store/projectStore';
import { RunRepository } from './store/runRepository';
import { selectBackend, tfjsVersion } from './tf/backend';

export interface CoreOptions {
  projectPath: string;
  shell: Shell;
  sqliteBinding?: string;
  /** Open a read-only copy of a damaged project instead of the project itself. */
  readOnlyCopy?: boolean;
  /** Take over a lock written on another computer (projectLock.ts, LockTakeOver). */
  takeOverLock?: LockTakeOver;
}

/** The shells that hold a project open for a long time and change it: one at a time per project. */
const HOLDERS: Partial<Record<Shell, string>> = { desktop: 'the NeuroLIP Studio desktop app', server: 'the NeuroLIP Studio local server' };

/** The Node-side services every shell reaches through the API: the open project and its jobs. */
export class Core {
  readonly jobs = new JobManager();
  /** Training runs, one at a time. */
  readonly trainingQueue = new SerialQueue();
  /** Prints report HTML to PDF: headless chromium, replaced by Electron's printToPDF in the desktop app. */
  printPdf: PdfPrinter = chromiumPdf;

  private constructor(
    readonly store: ProjectStore,
    readonly shell: Shell,
    private readonly lock: ProjectLock | null,
  ) {}

  /**
   * Opens the project; runs left 'running' by a process that died are marked interrupted. The
   * desktop app and the local server take the project's lock (projectLock.ts): a second one on
   * the same project is refused. A read-only copy needs no lock.
   */
  static open(options: CoreOptions): Core {
    if (options.readOnlyCopy)
      return new Core(ProjectStore.openReadOnlyCopy(options.projectPath, options.sqliteBinding), options.shell, null);
    const holder = HOLDERS[options.shell];
    const lock = holder ? acquireProjectLock(options.projectPath, holder, options.takeOverLock) : null;
    try {
      const store = ProjectStore.open(options.projectPath, options.sqliteBinding);
      new RunRepository(store.db).markInterrupted();
      return new Core(store, options.shell, lock);
    } catch (error) {
      lock?.release();
      throw error;
    }
  }

  async info(): Promise<AppInfo> {
    return {
      appVersion,
      schemaVersion: LATEST_SCHEMA_VERSION,
      projectSchemaVersion: this.store.schemaVersion,
      projectPath: this.store.path,
      backend: await selectBackend(),
      shell: this.shell,
      versions: {
        node: process.versions.node,
        electron: process.versions.electron ?? null,
        sqlite: this.store.sqliteVersion(),
        tfjs: tfjsVersion(),
      },
      platform: `${process.platform}-${process.arch}`,
    };
  }

  close(): void {
    for (const job of this.jobs.list()) this.jobs.cancel(job.id);
    this.store.close();
    this.lock?.release();
  }
}
