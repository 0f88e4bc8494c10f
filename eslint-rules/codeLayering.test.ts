// The layering rule on deliberate violations and clean files: snippets linted through the ESLint Node API with a
// filePath inside each layer's folder (a config with the layering rule only, no type information, so it stays fast),
// and the repository's own eslint.config.js checked to switch the rule on for every src-* folder.
import path from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import layering from './codeLayering.js';

const root = path.resolve(import.meta.dirname, '..');

const eslint = new ESLint({
  cwd: root,
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.{ts,tsx}'],
      languageOptions: { parser: tseslint.parser },
      plugins: { layering },
      rules: { 'layering/code-layering': ['error', { root }] },
    },
  ],
});

/** The layering messages for `code` as if it were the file at `relPath`. */
async function layeringErrors(relPath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relPath) });
  expect(result.messages.filter((m) => m.ruleId !== 'layering/code-layering')).toEqual([]); // parsed fine
  return result.messages.map((m) => m.message);
}

describe('layering/code-layering fails on deliberate violations', () => {
  it.each([
    ['an engine file importing electron', 'src-main/engine/library2.ts', "import { app } from 'electron';"],
    ['an engine file importing electron types', 'src-main/engine/jobs/x.ts', "import type { App } from 'electron';"],
    ['an engine file importing ipc/', 'src-main/engine/jobs/x.ts', "import { registerPickFolderHandler } from '../../ipc/pickFolder.js';"],
    ['an engine file importing app/', 'src-main/engine/x.ts', "import { isOwnAppUrl } from '../app/origins.js';"],
    ['an engine file importing host/', 'src-main/engine/x.ts', "export { serve } from '../host/server.js';"],
    ['an engine file importing workers/', 'src-main/engine/x.ts', "const m = await import('../workers/libraryWorkerClient.js');"],
    ['an engine file importing the renderer', 'src-main/engine/x.ts', "export * from '../../src-renderer/lib/format.js';"],
    ['a non-test engine file importing vitest', 'src-main/engine/landmarkStore/suite.ts', "import { describe } from 'vitest';"],
    ['a non-test renderer file importing vitest', 'src-renderer/lib/x.ts', "import { vi } from 'vitest';"],
    ['fingerprint reading files', 'src-main/engine/fingerprint/peaks2.ts', "import { readFileSync } from 'node:fs';"],
    ['fingerprint reading files (bare name)', 'src-main/engine/fingerprint/peaks2.ts', "import fs from 'fs/promises';"],
    ['fingerprint opening SQLite', 'src-main/engine/fingerprint/x.ts', "import Database from 'better-sqlite3';"],
    ['fingerprint opening LMDB', 'src-main/engine/fingerprint/x.ts', "import { open } from 'lmdb';"],
    ['fingerprint loading ONNX', 'src-main/engine/fingerprint/x.ts', "import * as ort from 'onnxruntime-node';"],
    ['fingerprint reaching into the catalog', 'src-main/engine/fingerprint/x.ts', "import { openCatalog } from '../catalog/catalog.js';"],
    ['a renderer file importing from src-main', 'src-renderer/features/x/X.tsx', "import { LibraryEngine } from '../../../src-main/engine/library.js';"],
    ['a renderer file importing electron', 'src-renderer/lib/x.ts', "import { ipcRenderer } from 'electron';"],
    ['a renderer file importing node:path', 'src-renderer/lib/x.ts', "import path from 'node:path';"],
    ['a renderer file importing a bare builtin', 'src-renderer/lib/x.ts', "import { EventEmitter } from 'events';"],
    ['a renderer file importing the preload script', 'src-renderer/lib/x.ts', "import '../../src-preload/preload.js';"],
    ['the contract importing a package', 'src-preload/contract/x.ts', "import { z } from 'zod';"],
    ['the contract importing node', 'src-preload/contract/x.ts', "import path from 'node:path';"],
    ['the contract importing the engine', 'src-preload/contract/x.ts', "import type { LibraryEngine } from '../../src-main/engine/library.js';"],
    ['the preload importing node', 'src-preload/x.ts', "import { readFileSync } from 'node:fs';"],
    ['the preload importing src-main', 'src-preload/x.ts', "import { LibraryEngine } from '../src-main/engine/library.js';"],
    ['a worker importing electron', 'src-main/workers/x.worker.ts', "const { app } = require('electron');"],
    ['a worker importing host/', 'src-main/workers/x.ts', "import { serve } from '../host/server.js';"],
    ['app/ importing ipc/ (the circle)', 'src-main/app/appMenu2.ts', "import { registerPickFolderHandler } from '../ipc/pickFolder.js';"],
    ['host/ importing the renderer', 'src-main/host/x.ts', "import { createFakeBridge } from '../../src-renderer/lib/fakeBridge.js';"],
    ['an import type() in a type position', 'src-main/engine/x.ts', "type App = typeof import('electron');"],
  ])('%s', async (_what, relPath, code) => {
    expect(await layeringErrors(relPath, code)).toHaveLength(1);
  });

  it('says which layer broke which line of ARCHITECTURE.md §2', async () => {
    expect(await layeringErrors('src-main/engine/x.ts', "import { app } from 'electron';")).toEqual([
      "src-main/engine may not import 'electron' (ARCHITECTURE.md §2).",
    ]);
    expect(await layeringErrors('src-main/app/x.ts', "import { pickFolder } from '../ipc/pickFolder.js';")).toEqual([
      'src-main/app may not import src-main/ipc/pickFolder.js (ARCHITECTURE.md §2).',
    ]);
  });

  it('reports every bad import of a file', async () => {
    const code = ["import { app } from 'electron';", "import { a } from './sibling.js';", "import { b } from '../ipc/x.js';"].join('\n');
    expect(await layeringErrors('src-main/engine/x.ts', code)).toHaveLength(2);
  });
});

describe('layering/code-layering passes clean files', () => {
  it.each([
    [
      'a renderer component',
      'src-renderer/features/x/X.tsx',
      [
        "import { useState } from 'react';",
        "import { useShallow } from 'zustand/react/shallow';",
        "import type { TrackId } from '../../../src-preload/contract/library';",
        "import { formatClock } from '../../lib/format';",
      ].join('\n'),
    ],
    [
      'an engine file',
      'src-main/engine/jobs/x.ts',
      [
        "import { readFile } from 'node:fs/promises';",
        "import Database from 'better-sqlite3';",
        "import { AppError } from '../errors.js';",
        "import type { Result } from '../../../src-preload/contract/library.js';",
      ].join('\n'),
    ],
    ['a fingerprint stage', 'src-main/engine/fingerprint/x.ts', "import FFT from 'fft.js';\nimport { extractPeaks } from './peaks.js';"],
    ['an engine test importing vitest and electron', 'src-main/engine/x.test.ts', "import { it } from 'vitest';\nimport 'electron';"],
    ['engine test support in a testing/ folder', 'src-main/engine/landmarkStore/testing/suite.ts', "import { describe } from 'vitest';"],
    ['ipc/ building on app/', 'src-main/ipc/senderCheck2.ts', "import { isOwnAppUrl } from '../app/origins.js';"],
    [
      'a worker using the engine',
      'src-main/workers/x.worker.ts',
      "import { parentPort } from 'node:worker_threads';\nimport { LibraryEngine } from '../engine/libraryEngine.js';",
    ],
    ['the preload script', 'src-preload/x.ts', "import { contextBridge } from 'electron';\nimport type { LibraryBridge } from './contract/api.js';"],
    ['the contract', 'src-preload/contract/x.ts', "import type { TrackId } from './libraryEngine.js';"],
    [
      'main.ts',
      'src-main/main2.ts',
      "import { app } from 'electron';\nimport { installAppMenu } from './app/appMenu.js';\nimport { LibraryEngine } from './engine/libraryEngine.js';",
    ],
    ['a file outside the layers', 'bench/x.ts', "import { app } from 'electron';\nimport { it } from 'vitest';"],
  ])('%s', async (_what, relPath, code) => {
    expect(await layeringErrors(relPath, code)).toEqual([]);
  });
});

describe("the repository's eslint.config.js", () => {
  it.each(['src-main/engine/x.ts', 'src-main/app/x.ts', 'src-renderer/features/x/X.tsx', 'src-preload/contract/x.ts', 'src-preload/preload.ts'])(
    'turns the layering rule on for %s',
    async (relPath) => {
      const config = (await new ESLint({ cwd: root }).calculateConfigForFile(path.join(root, relPath))) as {
        rules: Record<string, unknown[]>;
      };
      expect(config.rules['layering/code-layering']?.[0]).toBe(2);
    },
  );
});
