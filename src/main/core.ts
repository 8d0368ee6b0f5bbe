import { version as appVersion } from '../../package.json';
import type { AppInfo, Shell } from '../shared/api';
import { JobManager } from './jobs/jobManager';
import { SerialQueue } from './jobs/serialQueue';
import { LATEST_SCHEMA_VERSION } from './store/migrations';
import { ProjectStore } from './store/projectStore';
import { RunRepository } from './store/runRepository';
import { selectBackend, tfjsVersion } from './tf/backend';

export interface CoreOptions {
  projectPath: string;
  shell: Shell;
  sqliteBinding?: string;
}

/** The Node-side services every shell reaches through the API: the open project and its jobs. */
export class Core {
  readonly jobs = new JobManager();
  /** Training runs, one at a time. */
  readonly trainingQueue = new SerialQueue();

  private constructor(
    readonly store: ProjectStore,
    readonly shell: Shell,
  ) {}

  /** Opens the project; runs left 'running' by a process that died are marked interrupted. */
  static open(options: CoreOptions): Core {
    const store = ProjectStore.open(options.projectPath, options.sqliteBinding);
    new RunRepository(store.db).markInterrupted();
    return new Core(store, options.shell);
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
  }
}
