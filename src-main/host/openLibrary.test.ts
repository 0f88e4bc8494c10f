// openLibrary (the CLI's composition) follows the vibe model chosen in the app, and falls back to the built-in model
// when that model is not installed (the lane never goes dark). "CLAP" here is the small generated model with CLAP's
// contract, installed under CLAP's id from a local server (the real weights cannot be downloaded here).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeActiveModelId } from '../engine/embedding/activeModel.js';
import { BUILTIN_MODEL_ID } from '../engine/embedding/embedderManifest.js';
import { CLAP_FP32, installModel } from '../engine/embedding/modelRegistry.js';
import { generateTestClapModel, startModelServer, testModelManifest } from '../engine/testing/modelServer.js';
import { openLibrary } from './openLibrary.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'ai-open-library-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openLibrary', () => {
  it('uses the remembered model, and falls back to the built-in one when it is not downloaded', async () => {
    const dataDir = path.join(dir, 'data');
    mkdirSync(dataDir, { recursive: true });
    writeActiveModelId(dataDir, CLAP_FP32.id);
    let library = await openLibrary(dataDir, 1);
    try {
      expect(library.vibe?.modelId).toBe(BUILTIN_MODEL_ID);
    } finally {
      await library.close();
    }

    const bytes = generateTestClapModel(path.join(dir, 'served.onnx'));
    const server = await startModelServer(bytes);
    try {
      await installModel(dataDir, testModelManifest(CLAP_FP32.id, server.url, bytes));
    } finally {
      await server.close();
    }
    library = await openLibrary(dataDir, 1);
    try {
      expect(library.vibe?.modelId).toBe(CLAP_FP32.id);
    } finally {
      await library.close();
    }
  }, 30_000);
});
