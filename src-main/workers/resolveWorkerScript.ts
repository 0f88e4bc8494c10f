// Finds a worker entry beside the calling module: the compiled .js in production, the .ts source (loaded through
// tsx) when the caller itself runs from source, as under vitest or `npx tsx`.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerScript {
  readonly url: URL;
  /** Node flags for the worker (pass to WorkerPool's execArgv). */
  readonly execArgv: string[];
}

/**
 * Set (by vitest.globalSetup.ts, right after a `tsc -b` that succeeded) to the folder tsc compiles the project into,
 * whose tree mirrors the project's (tsconfig's rootDir is that folder's parent). A caller running from source then
 * starts its entries from their compiled twins: a worker started through tsx costs about 0.35 s more CPU (tsx's
 * hooks thread and transforms, on every start), and the tests start dozens.
 */
export const COMPILED_TWINS_ENV = 'AUDIO_IDENT_COMPILED_TWINS';

/**
 * `metaUrl` is the caller's import.meta.url; `baseName` the entry's file name without extension (e.g.
 * 'fingerprint.worker'), relative to the caller's folder.
 */
export function resolveWorkerScript(metaUrl: string, baseName: string): WorkerScript {
  const callerPath = fileURLToPath(metaUrl);
  if (!callerPath.endsWith('.ts')) return { url: new URL(`./${baseName}.js`, metaUrl), execArgv: [] };
  const twin = compiledTwin(fileURLToPath(new URL(`./${baseName}.js`, metaUrl)));
  if (twin) return { url: pathToFileURL(twin), execArgv: [] };
  return {
    url: new URL(`./${baseName}.ts`, metaUrl),
    execArgv: ['--import', new URL('./registerTsx.mjs', import.meta.url).href],
  };
}

/** The compiled twin of a source path (given with its .js name) when COMPILED_TWINS_ENV names a build holding it. */
function compiledTwin(sourceJsPath: string): string | undefined {
  const outDir = process.env[COMPILED_TWINS_ENV];
  if (!outDir) return undefined;
  const relative = path.relative(path.dirname(outDir), sourceJsPath);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const twin = path.join(outDir, relative);
  return existsSync(twin) ? twin : undefined;
}
