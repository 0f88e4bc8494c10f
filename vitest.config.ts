import os from 'node:os';
import { defineConfig } from 'vitest/config';

const TESTS = ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'eslint-rules/**/*.test.ts'];
const NOT_TESTS = ['node_modules/**', 'out/**', 'e2e/**'];

// Test files that need a fresh process of their own: they mock modules (vi.mock), stub globals or the environment, or
// change process-wide state (process.env, process listeners) that a later file in the same process would see.
const ISOLATED = [
  'src-main/main.test.ts',
  'src-preload/preload.test.ts',
  'src-main/engine/libraryService.scans.test.ts',
  'src-renderer/features/listen/inputChoice.test.tsx',
];

export default defineConfig({
  test: {
    // No include here: a project extending this config would add its own to it.
    testTimeout: 60_000,
    // Compiles the project first, so that worker threads and CLI processes the tests start run compiled code.
    globalSetup: ['./vitest.globalSetup.ts'],
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one fork per core minus one: on a 2-core machine, one test file at a time. Much of a file's
    // time is spent waiting on ffmpeg, worker threads and sockets, so more forks than cores keep the cores busy. The
    // whole run on 2 cores: 309 s with one fork, 144 s with three, 124 s with four, 132 s with six.
    maxWorkers: Math.max(4, os.availableParallelism()),
    projects: [
      {
        extends: true,
        // The other files share their fork's process and module cache, one file after another: starting a process
        // and importing the engine afresh for each of ~130 files cost about 80 s of the whole run's 276 s of CPU
        // (0.3 s a file for small ones, more for those importing the engine). A file here must leave nothing behind
        // that another could trip on (see ISOLATED); vitest.setup.ts checks after each.
        test: { name: 'shared', include: TESTS, exclude: [...NOT_TESTS, ...ISOLATED], isolate: false, setupFiles: ['./vitest.setup.ts'] },
      },
      { extends: true, test: { name: 'isolated', include: ISOLATED, exclude: NOT_TESTS } },
    ],
  },
});
