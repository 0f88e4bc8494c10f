// The remembered vibe model (atomic JSON file in the data folder) and the test-only model registry file.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ACTIVE_MODEL_FILE, readActiveModelId, writeActiveModelId } from './activeModel.js';
import { BUILTIN_MODEL_ID } from './embedderManifest.js';
import { CLAP_FP32, readModelRegistry } from './modelRegistry.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ai-active-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('active model', () => {
  it('defaults to the built-in model, remembers a choice atomically, and ignores a damaged file', () => {
    const dataDir = path.join(dir, 'a');
    expect(readActiveModelId(dataDir)).toBe(BUILTIN_MODEL_ID);
    mkdirSync(dataDir);
    writeActiveModelId(dataDir, 'clap-htsat-unfused');
    expect(readActiveModelId(dataDir)).toBe('clap-htsat-unfused');
    expect(readdirSync(dataDir)).toEqual([ACTIVE_MODEL_FILE]); // no temp file left behind
    writeFileSync(path.join(dataDir, ACTIVE_MODEL_FILE), '{"modelId": "../../etc"');
    expect(readActiveModelId(dataDir)).toBe(BUILTIN_MODEL_ID);
    writeFileSync(path.join(dataDir, ACTIVE_MODEL_FILE), '{"modelId": "../../etc"}');
    expect(readActiveModelId(dataDir)).toBe(BUILTIN_MODEL_ID); // A library that chose an earlier built-in version follows the built-in model to its new version.
    writeActiveModelId(dataDir, 'builtin-descriptors-v1');
    expect(readActiveModelId(dataDir)).toBe(BUILTIN_MODEL_ID);
    expect(BUILTIN_MODEL_ID).not.toBe('builtin-descriptors-v1');
  });

  it('reads a model registry file and refuses entries without a url, or posing as the built-in model', () => {
    const good = path.join(dir, 'registry.json');
    writeFileSync(good, JSON.stringify([{ ...CLAP_FP32, id: 'test-clap', url: 'http://127.0.0.1:9/model.onnx' }]));
    expect(readModelRegistry(good)).toEqual([
      expect.objectContaining({ id: 'test-clap', kind: 'download', url: 'http://127.0.0.1:9/model.onnx', sha256: CLAP_FP32.sha256 }),
    ]);
    const noUrl = path.join(dir, 'no-url.json');
    writeFileSync(noUrl, JSON.stringify([{ ...CLAP_FP32, url: 'file:///etc/passwd' }]));
    expect(() => readModelRegistry(noUrl)).toThrow(/http\(s\) url/);
    const builtin = path.join(dir, 'builtin.json');
    writeFileSync(builtin, JSON.stringify([{ ...CLAP_FP32, id: BUILTIN_MODEL_ID }]));
    expect(() => readModelRegistry(builtin)).toThrow(/built-in/);
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify([{ id: 'x' }]));
    expect(() => readModelRegistry(bad)).toThrow(/entry 0/);
    expect(() => readModelRegistry(path.join(dir, 'absent.json'))).toThrow(/cannot read/);
  });
});
