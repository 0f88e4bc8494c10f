// Global setup of the vitest run (once, in vitest's own process, before any test file): compiles the project with
// `tsc -b` (incremental: about a second when nothing changed, as after `npm run build`) and, if that succeeded, names
// its output folder in COMPILED_TWINS_ENV, so that worker threads and CLI child processes the tests start run their
// compiled twins instead of going through tsx on every start (see resolveWorkerScript.ts). A compile that fails (a type
// error mid-edit) leaves the variable unset: the tests still run, their workers through tsx, as before. In watch mode
// each rerun compiles again, so a worker never runs older code than the test that starts it.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestProject } from 'vitest/node';
import { COMPILED_TWINS_ENV } from './src-main/workers/resolveWorkerScript.js';

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const OUT_DIR = path.join(ROOT, 'out'); // tsconfig's outDir for rootDir ROOT (src-main/tsconfig.json)

function compile(): void {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-b'], { cwd: ROOT, stdio: 'pipe' });
    process.env[COMPILED_TWINS_ENV] = OUT_DIR;
  } catch (err) {
    delete process.env[COMPILED_TWINS_ENV];
    const { stdout } = err as { stdout?: Buffer };
    const output = stdout ? stdout.toString('utf8').trim() : String(err);
    console.warn(`tsc -b failed, so workers the tests start run from source through tsx (slower):\n${output.slice(0, 2000)}`);
  }
}

export default function setup(project: TestProject): void {
  compile();
  project.onTestsRerun(() => compile());
}
