// What the app takes from its command line and environment before anything starts: the data folder
// (--data-dir=DIR, else the CLI's default, so the app and the CLI share one library) and, for end-to-end tests
// only, a WAV file fed to Chromium as the microphone (AUDIO_IDENT_FAKE_MIC=/abs/clip.wav).
import path from 'node:path';
import { defaultDataDir } from '../engine/dataDir.js';

/** --data-dir=DIR or --data-dir DIR on the command line; else AUDIO_IDENT_DATA; else the per-user folder. */
export function resolveDataDir(argv: readonly string[], env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg.startsWith('--data-dir=')) {
      const value = arg.slice('--data-dir='.length);
      if (value) return path.resolve(value);
    } else if (arg === '--data-dir' && argv[i + 1] && !argv[i + 1].startsWith('--')) {
      return path.resolve(argv[i + 1]);
    }
  }
  return defaultDataDir(env, platform);
}

export interface CommandLineLike {
  appendSwitch(name: string, value?: string): void;
}

/**
 * AUDIO_IDENT_FAKE_MIC=/abs/clip.wav: Chromium's fake capture device plays that file as the microphone and the
 * permission prompt is skipped (what the e2e tests use). The path must be absolute; anything else is ignored, and so
 * is the variable in a packaged app (an installed app must not let its environment replace the microphone and skip
 * the prompt). Returns whether the switches were added.
 */
export function applyFakeMicSwitches(commandLine: CommandLineLike, env: NodeJS.ProcessEnv, isPackaged: boolean): boolean {
  if (isPackaged) return false;
  const clip = env.AUDIO_IDENT_FAKE_MIC;
  if (!clip || !path.isAbsolute(clip.replace(/%noloop$/, ''))) return false;
  commandLine.appendSwitch('use-fake-ui-for-media-stream');
  commandLine.appendSwitch('use-fake-device-for-media-stream');
  commandLine.appendSwitch('use-file-for-fake-audio-capture', clip);
  return true;
}

/**
 * The packaged app ships its built-in models beside the archive (electron-builder's extraResources:
 * process.resourcesPath/models); the engine finds them through AUDIO_IDENT_RESOURCES, which the library's worker
 * threads inherit. Unpackaged (npm start) the engine finds the repository's resources/ itself. A value the user set
 * wins. Returns the folder used, or null when left to the engine.
 */
export function exposeBuiltinResources(env: NodeJS.ProcessEnv, isPackaged: boolean, resourcesPath: string): string | null {
  if (env.AUDIO_IDENT_RESOURCES) return env.AUDIO_IDENT_RESOURCES;
  if (!isPackaged) return null;
  env.AUDIO_IDENT_RESOURCES = resourcesPath;
  return resourcesPath;
}
