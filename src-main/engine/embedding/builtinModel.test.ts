// The built-in embedder: the generator script writes the committed model byte for byte, and the model tells known
// signals apart (a pure tone and a noise burst land far apart; the same clip twice gives the same vector).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRng, synthSong } from '../testing/synthAudio.js';
import { cosine } from './audioWindows.js';
import { BUILTIN_MODEL_ID, builtinManifestPath, builtinModelsDir, readManifest } from './embedderManifest.js';
import { OnnxEmbedder } from './onnxEmbedder.js';

const RATE = 8000;
const PYTHON = '/usr/bin/python3';
const hasOnnxPython = (() => {
  try {
    execFileSync(PYTHON, ['-c', 'import onnx, numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function tone(hz: number, seconds: number): Float32Array {
  return Float32Array.from({ length: seconds * RATE }, (_, i) => 0.5 * Math.sin((2 * Math.PI * hz * i) / RATE));
}

function noise(seconds: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: seconds * RATE }, () => (rng() * 2 - 1) * 0.5);
}

describe('built-in model generation', () => {
  it.runIf(hasOnnxPython)('scripts/generate-builtin-model.py reproduces the committed model and manifest', () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'vibe-gen-'));
    try {
      execFileSync(PYTHON, ['scripts/generate-builtin-model.py', '--out', out], { stdio: 'pipe' });
      const dir = builtinModelsDir();
      expect(readFileSync(path.join(out, `${BUILTIN_MODEL_ID}.onnx`)).equals(readFileSync(path.join(dir, `${BUILTIN_MODEL_ID}.onnx`)))).toBe(true);
      expect(JSON.parse(readFileSync(path.join(out, `${BUILTIN_MODEL_ID}.json`), 'utf8'))).toEqual(readManifest(builtinManifestPath()));
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  it('ships a manifest that matches its model file', () => {
    const manifest = readManifest(builtinManifestPath());
    expect(manifest.id).toBe(BUILTIN_MODEL_ID);
    expect(manifest.sampleRateHz).toBe(RATE);
    expect(manifest.groups?.reduce((n, g) => n + g.length, 0)).toBe(manifest.dim);
    expect(existsSync(path.join(builtinModelsDir(), manifest.file))).toBe(true);
  });
});

describe('built-in model on known signals', () => {
  let embedder: OnnxEmbedder;
  beforeAll(async () => {
    embedder = await OnnxEmbedder.load(builtinManifestPath());
  });
  afterAll(() => embedder.release());

  it('puts a pure tone far from a noise burst, and two tones of one pitch close together', async () => {
    const [a440, noiseA, a440b, noiseB] = await Promise.all([
      embedder.embedClip(tone(440, 10)),
      embedder.embedClip(noise(10, 1)),
      embedder.embedClip(tone(440, 12).map((v) => v * 0.5)),
      embedder.embedClip(noise(10, 2)),
    ]);
    expect(a440.vector.length).toBe(embedder.manifest.dim);
    const toneVsNoise = cosine(a440.vector, noiseA.vector);
    expect(toneVsNoise).toBeLessThan(0.3);
    expect(cosine(a440.vector, a440b.vector)).toBeGreaterThan(0.9);
    // Two bursts of white noise agree on timbre, shape and (mostly) harmony; noise has no rhythm, so those
    // descriptors are arbitrary and keep them from being near-identical.
    expect(cosine(noiseA.vector, noiseB.vector)).toBeGreaterThan(0.8);
    expect(cosine(noiseA.vector, noiseB.vector)).toBeGreaterThan(toneVsNoise + 0.5);
    for (const v of [a440, noiseA]) expect(Math.hypot(...v.vector)).toBeCloseTo(1, 5);
  });

  it('gives the same clip the same vector, twice', async () => {
    const clip = synthSong(7, 10, RATE);
    const first = await embedder.embedClip(clip);
    const second = await embedder.embedClip(clip.slice());
    expect(Array.from(second.vector)).toEqual(Array.from(first.vector));
  });

  it('embeds a track from windows spread over it, pooled and normalised', async () => {
    const track = synthSong(3, 95, RATE);
    const e = await embedder.embedTrack(track);
    expect(e.windowCount).toBe(18); // 10 s windows every 5 s
    expect(e.windowVectors.length).toBe(18 * embedder.manifest.dim);
    expect(Math.hypot(...e.vector)).toBeCloseTo(1, 5);
    const clip = await embedder.embedClip(track.subarray(30 * RATE, 40 * RATE));
    expect(cosine(clip.vector, e.vector)).toBeGreaterThan(0.5);
  });

  it('refuses a damaged model file with model-missing', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'vibe-bad-'));
    try {
      const manifest = readManifest(builtinManifestPath());
      const { writeFileSync } = await import('node:fs');
      writeFileSync(path.join(dir, 'm.json'), JSON.stringify(manifest));
      const bytes = readFileSync(path.join(builtinModelsDir(), manifest.file));
      bytes[bytes.length - 1] ^= 0xff;
      writeFileSync(path.join(dir, manifest.file), bytes);
      await expect(OnnxEmbedder.load(path.join(dir, 'm.json'))).rejects.toMatchObject({ code: 'model-missing' });
      rmSync(path.join(dir, manifest.file));
      await expect(OnnxEmbedder.load(path.join(dir, 'm.json'))).rejects.toMatchObject({ code: 'model-missing' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
