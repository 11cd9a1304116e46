import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The folder Electron uses as userData for an app named "Salvage", computed without Electron so
 * the browser host (when the user opts in to saving) keeps its files in the same place.
 */
export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Salvage');
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Salvage');
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Salvage');
}
