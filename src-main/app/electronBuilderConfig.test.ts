// electron-builder.yml against electron-builder's own JSON schema (node_modules/app-builder-lib/scheme.json, with
// ajv) and its own validateConfiguration (what `electron-builder` runs first); deliberately broken copies must fail
// both, so the validation is real. Plus the packaging rules the issue asks for, which a schema cannot know.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import AjvModule from 'ajv';
import * as yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..', '..');
const require = createRequire(path.join(root, 'package.json'));
const config = yaml.load(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  asarUnpack: string[];
  files: string[];
  extraResources: Array<{ from: string; to: string }>;
  mac: { extendInfo: Record<string, string>; hardenedRuntime?: boolean; entitlements?: string; entitlementsInherit?: string; target: unknown };
  linux: { target: string[] };
  win: { target: unknown };
  electronFuses?: Record<string, boolean>;
};

const schema = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
// ajv is CommonJS: under NodeNext its default import is the module object, whose .default is the class.
const Ajv = AjvModule.default;
const validateSchema = new Ajv({ allErrors: true, strict: false }).compile(schema);

type Validate = (config: unknown, logger: unknown) => Promise<void>;
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as { validateConfiguration: Validate };
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const builderValidates = (c: unknown): Promise<void> => validateConfiguration(structuredClone(c), new DebugLogger(false));

/** Copies of the config with one deliberate mistake each. */
const BROKEN: Array<[string, Record<string, unknown>]> = [
  ['a misspelt top-level key', { ...config, asarUnpak: ['x'] }],
  ['a boolean given as a string', { ...config, nsis: { oneClick: 'yes' } }],
  ['an unknown mac option', { ...config, mac: { ...config.mac, microphone: true } }],
  ['a misspelt nested key', { ...config, directories: { output: 'release', buildResource: 'resources' } }],
  ['extraResources entry without its shape', { ...config, extraResources: [{ from: 1, too: 'models' }] }],
  ['a misspelt fuse', { ...config, electronFuses: { ...config.electronFuses, runAsNod: false } }],
];

describe('electron-builder.yml', () => {
  it("matches electron-builder's JSON schema (ajv)", () => {
    const ok = validateSchema(config);
    expect(validateSchema.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it("passes electron-builder's own validateConfiguration", async () => {
    await expect(builderValidates(config)).resolves.toBeUndefined();
  });

  it.each(BROKEN)('is rejected by both validators with %s', async (_what, broken) => {
    expect(validateSchema(broken)).toBe(false);
    await expect(builderValidates(broken)).rejects.toThrow(/configuration/i);
  });

  it("flips Electron's fuses: no run-as-node, NODE_OPTIONS or --inspect; encrypted cookies; app only from a checked asar", () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.asar).toBe(true); // onlyLoadAppFromAsar needs the archive
  });

  it('builds AppImage + deb, dmg and nsis', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac.target).toBe('dmg');
    expect(config.win.target).toBe('nsis');
  });

  it('unpacks every native module and the ffmpeg binary from the asar', () => {
    for (const name of ['better-sqlite3', 'lmdb', 'hnswlib-node', 'onnxruntime-node', 'msgpackr-extract', 'ffmpeg-static']) {
      expect(config.asarUnpack, name).toContain(`node_modules/${name}/**`);
    }
  });

  it('ships the compiled app (main, preload bundle, renderer, contract) and not sources, tests or maps', () => {
    for (const include of ['package.json', 'out/src-main/**/*', 'out/preload/**/*', 'out/renderer/**/*', 'out/src-preload/contract/**/*']) {
      expect(config.files, include).toContain(include);
    }
    for (const exclude of ['!out/**/*.test.*', '!out/**/*.map', '!out/**/*.d.ts']) expect(config.files, exclude).toContain(exclude);
    expect(config.files.some((f) => /^src-|^e2e|^bench/.test(f))).toBe(false);
    // package.json's main (the compiled main process) is inside what ships.
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('out/src-main/main.js');
  });

  it("copies the built-in models beside the app and asks for the microphone and the computer's sound on macOS", () => {
    expect(config.extraResources).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'resources/models', to: 'models' })]));
    expect(existsSync(path.join(root, 'resources', 'models'))).toBe(true);
    expect(config.mac.extendInfo.NSMicrophoneUsageDescription).toMatch(/^audio-ident .{20,}/);
    // The computer's own sound (system audio) on macOS 14.2+: Core Audio taps refuse an app without this key.
    expect(config.mac.extendInfo.NSAudioCaptureUsageDescription).toMatch(/^audio-ident .{20,}/);
    expect(config.mac.hardenedRuntime).toBe(true);
    for (const file of [config.mac.entitlements, config.mac.entitlementsInherit]) {
      const plist = readFileSync(path.join(root, file!), 'utf8');
      expect(plist).toMatch(/<key>com\.apple\.security\.device\.audio-input<\/key>\s*<true\/>/);
    }
  });
});
