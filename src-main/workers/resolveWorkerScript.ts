// Finds a worker entry beside the calling module: the compiled .js in production, the .ts source (loaded through
// tsx) when the caller itself runs from source, as under vitest or `npx tsx`.
import { fileURLToPath } from 'node:url';

export interface WorkerScript {
  readonly url: URL;
  /** Node flags for the worker (pass to WorkerPool's execArgv). */
  readonly execArgv: string[];
}

/**
 * `metaUrl` is the caller's import.meta.url; `baseName` the entry's file name without extension (e.g.
 * 'fingerprint.worker'), in the caller's folder.
 */
export function resolveWorkerScript(metaUrl: string, baseName: string): WorkerScript {
  const callerPath = fileURLToPath(metaUrl);
  if (callerPath.endsWith('.ts')) {
    return {
      url: new URL(`./${baseName}.ts`, metaUrl),
      execArgv: ['--import', new URL('./registerTsx.mjs', import.meta.url).href],
    };
  }
  return { url: new URL(`./${baseName}.js`, metaUrl), execArgv: [] };
}
