// Where the library lives by default: the same per-user folder Electron's app.getPath('userData') gives the desktop
// app ("audio-ident" under the OS's config folder), so the CLI and the app share one library. AUDIO_IDENT_DATA overrides.
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'audio-ident';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.AUDIO_IDENT_DATA) return path.resolve(env.AUDIO_IDENT_DATA);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
}
