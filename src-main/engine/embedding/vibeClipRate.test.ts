// A clip reaches the vibe lane at its model's rate, made from the clip as it arrived: a 48 kHz model hears a 12 kHz
// tone in a 48 kHz clip, whether the clip came as PCM (the microphone, through LibraryService), WAV bytes (an upload)
// or a file ffmpeg decodes. (It used to get the 8 kHz fingerprint copy resampled up: nothing above 4 kHz, while its
// track vectors came from a full-rate decode.) The model is the built-in one under a manifest that says 48 kHz.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../src-preload/contract/library.js';
import { inProcessRunners, LibraryEngine } from '../libraryEngine.js';
import { LibraryService } from '../libraryService.js';
import { encodeWav } from '../testing/synthAudio.js';
import { builtinManifestPath, builtinModelsDir, readManifest } from './embedderManifest.js';
import { OnnxEmbedder } from './onnxEmbedder.js';

const RATE = 48_000;
const HIGH_HZ = 12_000;
let root: string;
let manifestPath: string;

/** 3 s at 48 kHz: a 1 kHz tone (within every lane's band) plus a 12 kHz one, 0.4 each. */
const clip = Float32Array.from(
  { length: 3 * RATE },
  (_, i) => 0.4 * Math.sin((2 * Math.PI * 1000 * i) / RATE) + 0.4 * Math.sin((2 * Math.PI * HIGH_HZ * i) / RATE),
);

/** Amplitude of the `hz` component of `pcm` (a 48 kHz signal), by correlation with a sine and a cosine. */
function amplitudeAt(pcm: Float32Array, hz: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < pcm.length; i++) {
    s += pcm[i] * Math.sin((2 * Math.PI * hz * i) / RATE);
    c += pcm[i] * Math.cos((2 * Math.PI * hz * i) / RATE);
  }
  return (2 * Math.hypot(s, c)) / pcm.length;
}

beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'vibe-rate-'));
  const dir = path.join(root, 'model');
  mkdirSync(dir);
  const manifest = { ...readManifest(builtinManifestPath()), id: 'wideband-test', sampleRateHz: RATE };
  copyFileSync(path.join(builtinModelsDir(), manifest.file), path.join(dir, manifest.file));
  manifestPath = path.join(dir, 'manifest.json');
  writeFileSync(manifestPath, JSON.stringify(manifest));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

/** The PCM the vibe lane's model was given for each clip query. */
function heardByModel(): Float32Array[] {
  const heard: Float32Array[] = [];
  // The spy calls the real method with its `this` (original.call(this, ...)), which the rule cannot see.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = OnnxEmbedder.prototype.embedClip;
  vi.spyOn(OnnxEmbedder.prototype, 'embedClip').mockImplementation(function (this: OnnxEmbedder, pcm: Float32Array) {
    heard.push(pcm);
    return original.call(this, pcm);
  });
  return heard;
}

function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.detail}`);
  return result.value;
}

describe('a clip query for a 48 kHz vibe model', () => {
  it('keeps the clip whole band from WAV bytes and from a file ffmpeg decodes', async () => {
    const library = await LibraryEngine.open(path.join(root, 'library'), inProcessRunners(1), undefined, { embedderManifest: manifestPath });
    try {
      expect(library.vibe?.modelId).toBe('wideband-test');
      const heard = heardByModel();
      const wav = encodeWav(clip, RATE, 16);
      await library.identifyBytes(wav, { mode: 'vibe' });
      const file = path.join(root, 'clip.audio'); // no .wav name: decoded by ffmpeg, not the WAV parser
      writeFileSync(file, wav);
      await library.identifyFile(file, { mode: 'both' });
      expect(heard).toHaveLength(2);
      for (const pcm of heard) {
        expect(pcm.length).toBeGreaterThan(2.9 * RATE);
        expect(amplitudeAt(pcm, 1000)).toBeGreaterThan(0.3);
        expect(amplitudeAt(pcm, HIGH_HZ)).toBeGreaterThan(0.3);
      }
    } finally {
      await library.close();
    }
  }, 60_000);

  it('keeps the clip whole band from PCM sent to LibraryService (the microphone path)', async () => {
    const service = await LibraryService.open({
      dataDir: path.join(root, 'service'),
      runners: inProcessRunners(1),
      watch: false,
      scanOnOpen: false,
      embedderManifest: manifestPath,
      log: () => {},
    });
    try {
      const heard = heardByModel();
      const result = ok(await service.identifyClip({ audio: { kind: 'pcm', sampleRateHz: RATE, samples: clip }, source: 'mic', mode: 'vibe', maxResults: 2 }));
      expect(result.modeUsed).toBe('vibe');
      expect(heard).toHaveLength(1);
      expect(amplitudeAt(heard[0], HIGH_HZ)).toBeGreaterThan(0.3);
    } finally {
      await service.close();
    }
  }, 60_000);
});
