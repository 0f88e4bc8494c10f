import os from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src-main/**/*.test.ts', 'src-preload/**/*.test.ts', 'src-renderer/**/*.test.{ts,tsx}', 'bench/**/*.test.ts', 'eslint-rules/**/*.test.ts'],
    exclude: ['node_modules/**', 'out/**', 'e2e/**'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one fork per core minus one: on a 2-core machine, one test file at a time. Much of a file's
    // time is spent waiting on ffmpeg, worker threads and sockets, so more forks than cores keep the cores busy. The
    // whole run on 2 cores: 309 s with one fork, 144 s with three, 124 s with four, 132 s with six.
    maxWorkers: Math.max(4, os.availableParallelism()),
  },
});
