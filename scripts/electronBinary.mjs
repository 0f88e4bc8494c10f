// Finds the Electron executable WITHOUT downloading it (require('electron') in Electron >= 45 downloads on first use,
// which fails offline). Used by scripts/start.mjs and e2e/electron.spec.ts. Returns null when there is none.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The executable's path inside electron's dist folder, as its own installer writes it to path.txt. */
function platformExecutable(platform) {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * AUDIO_IDENT_ELECTRON (an explicit executable), else node_modules/electron's dist (or ELECTRON_OVERRIDE_DIST_PATH).
 * @returns {string | null}
 */
export function findElectronBinary(env = process.env, platform = process.platform) {
  if (env.AUDIO_IDENT_ELECTRON) return existsSync(env.AUDIO_IDENT_ELECTRON) ? env.AUDIO_IDENT_ELECTRON : null;
  let electronDir;
  try {
    electronDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = path.join(electronDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : platformExecutable(platform);
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH ? path.join(env.ELECTRON_OVERRIDE_DIST_PATH, executable) : path.join(electronDir, 'dist', executable);
  return existsSync(candidate) ? candidate : null;
}

export const NO_ELECTRON_HINT = 'run `npx install-electron` on a machine with internet to download it, or set AUDIO_IDENT_ELECTRON to an Electron executable';
