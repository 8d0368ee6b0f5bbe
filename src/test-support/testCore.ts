import { join } from 'node:path';
import { afterEach } from 'vitest';
import { Core } from '../main/core';
import { useTempDir } from './tempDir';

/** A real Core on a fresh project file per test, closed afterwards. */
export function useTestCore(): () => Core {
  const tempDir = useTempDir();
  const open: Core[] = [];
  afterEach(() => {
    for (const core of open.splice(0)) core.close();
  });
  return () => {
    const core = Core.open({ projectPath: join(tempDir(), 'test.neurolip'), shell: 'server' });
    open.push(core);
    return core;
  };
}
