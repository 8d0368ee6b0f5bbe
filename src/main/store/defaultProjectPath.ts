import { homedir } from 'node:os';
import { join } from 'node:path';

/** The per-user data folder, the same one Electron's app.getPath('userData') would give. */
export function userDataFolder(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'NeuroLIP Studio');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'NeuroLIP Studio');
  return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'neurolip-studio');
}

/** Where the project lives when no --project is given. */
export function defaultProjectPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.NEUROLIP_PROJECT ?? join(userDataFolder(env), 'default.neurolip');
}
