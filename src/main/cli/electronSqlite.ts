import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const nodeRequire = createRequire(import.meta.url);

/**
 * better-sqlite3 is compiled for Node's ABI, which Electron cannot load. Electron gets its own copy
 * of the native module, fetched once with better-sqlite3's own prebuild-install (this needs the
 * network, once, on the machine that runs the desktop app) and kept in `cacheDir`.
 * Returns the path to pass as better-sqlite3's `nativeBinding`.
 */
export function electronSqliteBinding(electronBinaryPath: string, cacheDir: string): string {
  const electronPackage = join(dirname(nodeRequire.resolve('electron')), 'package.json');
  const electronVersion = (JSON.parse(readFileSync(electronPackage, 'utf8')) as { version: string }).version;
  const target = join(cacheDir, `electron-${electronVersion}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
  if (existsSync(target)) return target;

  const sqliteDir = dirname(nodeRequire.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'neurolip-electron-sqlite-'));
  try {
    copyFileSync(join(sqliteDir, 'package.json'), join(work, 'package.json'));
    const prebuild = nodeRequire.resolve('prebuild-install/bin.js', { paths: [sqliteDir] });
    execFileSync(process.execPath, [prebuild, '--runtime', 'electron', '--target', electronVersion, '--arch', process.arch], {
      cwd: work,
      stdio: 'inherit',
    });
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(work, 'build', 'Release', 'better_sqlite3.node'), target);
  } catch (error) {
    throw new Error(
      `Could not fetch better-sqlite3 for Electron ${electronVersion} (${(error as Error).message}). ` +
        `Electron at ${electronBinaryPath} needs it once, with network access; see docs/desktop.md.`,
      { cause: error },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return target;
}
