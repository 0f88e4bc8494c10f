// The data folder the app uses (shared with the CLI unless --data-dir / AUDIO_IDENT_DATA say otherwise) and the
// fake-microphone switches for e2e tests.
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { defaultDataDir } from '../engine/dataDir.js';
import { applyFakeMicSwitches, exposeBuiltinResources, resolveDataDir } from './launchOptions.js';
import { BUILTIN_MODEL_ID, builtinManifestPath } from '../engine/embedding/embedderManifest.js';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';

describe('resolveDataDir', () => {
  it('takes --data-dir first, then AUDIO_IDENT_DATA, then the CLI default', () => {
    expect(resolveDataDir(['electron', '.', '--data-dir=/tmp/lib-a'], { AUDIO_IDENT_DATA: '/tmp/env' })).toBe('/tmp/lib-a');
    expect(resolveDataDir(['electron', '.', '--data-dir', '/tmp/lib-b'], {})).toBe('/tmp/lib-b');
    expect(resolveDataDir(['electron', '.'], { AUDIO_IDENT_DATA: '/tmp/env' })).toBe('/tmp/env');
    expect(resolveDataDir(['electron', '.', '--data-dir', '--other'], {}, 'linux')).toBe(defaultDataDir({}, 'linux'));
  });

  it('defaults to the folder Electron itself would use as userData for an app named audio-ident', () => {
    // Electron: app.getPath('appData') + app name; appData is XDG_CONFIG_HOME or ~/.config, ~/Library/Application
    // Support, %APPDATA%.
    const home = os.homedir();
    expect(resolveDataDir([], {}, 'linux')).toBe(path.join(home, '.config', 'audio-ident'));
    expect(resolveDataDir([], { XDG_CONFIG_HOME: '/xdg' }, 'linux')).toBe(path.join('/xdg', 'audio-ident'));
    expect(resolveDataDir([], {}, 'darwin')).toBe(path.join(home, 'Library', 'Application Support', 'audio-ident'));
    expect(resolveDataDir([], { APPDATA: 'C:\\Users\\me\\AppData\\Roaming' }, 'win32')).toBe(path.join('C:\\Users\\me\\AppData\\Roaming', 'audio-ident'));
  });
});

describe('applyFakeMicSwitches', () => {
  it('feeds an absolute WAV path to Chromium as the microphone, only when asked', () => {
    const commandLine = { appendSwitch: vi.fn() };
    expect(applyFakeMicSwitches(commandLine, {}, false)).toBe(false);
    expect(applyFakeMicSwitches(commandLine, { AUDIO_IDENT_FAKE_MIC: 'relative.wav' }, false)).toBe(false);
    expect(commandLine.appendSwitch).not.toHaveBeenCalled();
    expect(applyFakeMicSwitches(commandLine, { AUDIO_IDENT_FAKE_MIC: '/abs/clip.wav%noloop' }, false)).toBe(true);
    expect(commandLine.appendSwitch.mock.calls).toEqual([
      ['use-fake-ui-for-media-stream'],
      ['use-fake-device-for-media-stream'],
      ['use-file-for-fake-audio-capture', '/abs/clip.wav%noloop'],
    ]);
  });
});

describe('applyFakeMicSwitches in a packaged app', () => {
  it('ignores AUDIO_IDENT_FAKE_MIC: a packaged app never takes its microphone from the environment', () => {
    const commandLine = { appendSwitch: vi.fn() };
    expect(applyFakeMicSwitches(commandLine, { AUDIO_IDENT_FAKE_MIC: '/abs/clip.wav' }, true)).toBe(false);
    expect(commandLine.appendSwitch).not.toHaveBeenCalled();
    expect(applyFakeMicSwitches(commandLine, { AUDIO_IDENT_FAKE_MIC: '/abs/clip.wav' }, false)).toBe(true);
  });
});

describe('exposeBuiltinResources', () => {
  it('points the engine at the packaged resources folder, where electron-builder puts models/', () => {
    const resources = mkdtempSync(path.join(os.tmpdir(), 'ai-resources-'));
    mkdirSync(path.join(resources, 'models'));
    writeFileSync(path.join(resources, 'models', `${BUILTIN_MODEL_ID}.json`), '{}');
    const env: NodeJS.ProcessEnv = {};
    expect(exposeBuiltinResources(env, true, resources)).toBe(resources);
    expect(env.AUDIO_IDENT_RESOURCES).toBe(resources);
    expect(existsSync(builtinManifestPath(env))).toBe(true);
  });

  it('leaves an unpackaged run to the repository resources/, and never overrides a value the user set', () => {
    const env: NodeJS.ProcessEnv = {};
    expect(exposeBuiltinResources(env, false, '/opt/app/resources')).toBeNull();
    expect(env.AUDIO_IDENT_RESOURCES).toBeUndefined();
    expect(existsSync(builtinManifestPath(env))).toBe(true); // found by walking up to the repository
    const mine: NodeJS.ProcessEnv = { AUDIO_IDENT_RESOURCES: '/my/models-root' };
    expect(exposeBuiltinResources(mine, true, '/opt/app/resources')).toBe('/my/models-root');
    expect(mine.AUDIO_IDENT_RESOURCES).toBe('/my/models-root');
  });
});
