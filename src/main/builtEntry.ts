import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The path of a separately built entry in out/main (a worker or a child process), seen from the
 * module at `from` (an import.meta.url, in out/main or out/main/chunks). Null when running from
 * source, as in the unit tests, where callers do the work in-process instead.
 */
export function builtEntry(name: string, from: string): string | null {
  for (const relative of [`./${name}`, `../${name}`]) {
    const path = fileURLToPath(new URL(relative, from));
    if (existsSync(path)) return path;
  }
  return null;
}
