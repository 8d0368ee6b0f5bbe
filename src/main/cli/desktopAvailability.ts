import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const nodeRequire = createRequire(import.meta.url);

/** The Electron binary's path, or null when the electron package or its binary is missing. */
export function electronBinary(): string | null {
  try {
    const path = nodeRequire('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * Why the desktop window cannot open here, in one line, or null when it can.
 * `binary` is the Electron executable (null when it is not installed).
 */
export function desktopUnavailableReason(
  binary: string | null,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): string | null {
  if (binary === null) return 'the Electron binary is not installed (its download failed or was skipped)';
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)';
  return null;
}
