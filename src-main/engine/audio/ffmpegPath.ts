// Finds a working ffmpeg binary: $FFMPEG_PATH, then the optional `ffmpeg-static` package, then `ffmpeg` on PATH.
// Synchronous; a candidate counts only if it exists and runs `-version`; probes (per path) are cached for the process.
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { AppError } from '../errors.js';

export type FfmpegSource = 'FFMPEG_PATH' | 'ffmpeg-static' | 'PATH';

export interface ResolvedFfmpeg {
  /** Absolute (or as given in FFMPEG_PATH) path of a binary that ran `-version` successfully. */
  readonly path: string;
  readonly source: FfmpegSource;
}

export interface ResolveFfmpegOptions {
  /**
   * Returns the path the `ffmpeg-static` package reports (null when it has none for this platform).
   * Throws when the package is not installed. Tests replace it; the default loads the real package.
   */
  readonly loadFfmpegStatic?: () => string | null;
}

/** path -> null when the binary works, else what was wrong with it. */
const probeCache = new Map<string, string | null>();

const PROBE_TIMEOUT_MS = 15_000;

/** Runs `candidate -version` once per path; returns null when it works, else a short reason. */
function probeBinary(candidate: string): string | null {
  const cached = probeCache.get(candidate);
  if (cached !== undefined) return cached;
  let problem: string | null = null;
  try {
    const stats = statSync(candidate);
    if (!stats.isFile()) problem = `${candidate} is not a file`;
  } catch (err) {
    problem = `${candidate} does not exist (${(err as NodeJS.ErrnoException).code ?? String(err)})`;
  }
  if (problem === null) {
    const result = spawnSync(candidate, ['-hide_banner', '-version'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: PROBE_TIMEOUT_MS,
      windowsHide: true,
    });
    if (result.error) {
      problem = `${candidate} does not run (${(result.error as NodeJS.ErrnoException).code ?? result.error.message})`;
    } else if (result.status !== 0) {
      problem = `${candidate} -version exited with ${result.status ?? result.signal}`;
    } else if (!/ffmpeg version/i.test(result.stdout.toString('utf8'))) {
      problem = `${candidate} -version does not look like ffmpeg`;
    }
  }
  probeCache.set(candidate, problem);
  return problem;
}

/** The default loader's outcome, kept after the first call: a failed require is slow and will not change. */
let staticOutcome: { path: string | null } | { error: unknown } | undefined;

function defaultLoadFfmpegStatic(): string | null {
  if (staticOutcome === undefined) {
    try {
      staticOutcome = { path: loadFfmpegStaticPackage() };
    } catch (error) {
      staticOutcome = { error };
    }
  }
  if ('error' in staticOutcome) throw staticOutcome.error;
  return staticOutcome.path;
}

function loadFfmpegStaticPackage(): string | null {
  const require = createRequire(import.meta.url);
  const found: unknown = require('ffmpeg-static');
  if (typeof found !== 'string' || found === '') return null;
  // Inside a packaged Electron app the binary lives beside the asar archive, not in it.
  return found.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

/** Every `ffmpeg` (ffmpeg.exe on Windows) file on PATH, in PATH order. */
function findOnPath(env: NodeJS.ProcessEnv): string[] {
  const pathValue = env.PATH ?? env.Path ?? '';
  const names = process.platform === 'win32' ? ['ffmpeg.exe'] : ['ffmpeg'];
  const found: string[] = [];
  for (const dir of pathValue.split(path.delimiter)) {
    if (dir === '') continue;
    for (const name of names) {
      const candidate = path.resolve(dir, name);
      try {
        if (statSync(candidate).isFile()) found.push(candidate);
      } catch {
        // not here
      }
    }
  }
  return found;
}

/**
 * Resolves a working ffmpeg or throws AppError('ffmpeg-missing') whose detail says what was wrong with each of
 * FFMPEG_PATH, ffmpeg-static and PATH.
 */
export function resolveFfmpeg(env: NodeJS.ProcessEnv = process.env, options: ResolveFfmpegOptions = {}): ResolvedFfmpeg {
  const problems: string[] = [];

  const fromEnv = env.FFMPEG_PATH;
  if (fromEnv) {
    const problem = probeBinary(fromEnv);
    if (problem === null) return { path: fromEnv, source: 'FFMPEG_PATH' };
    problems.push(`FFMPEG_PATH: ${problem}`);
  } else {
    problems.push('FFMPEG_PATH: not set');
  }

  let staticPath: string | null = null;
  try {
    staticPath = (options.loadFfmpegStatic ?? defaultLoadFfmpegStatic)();
    if (staticPath === null) problems.push('ffmpeg-static: installed but has no binary for this platform');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    problems.push(
      code === 'MODULE_NOT_FOUND' || code === 'ERR_MODULE_NOT_FOUND'
        ? 'ffmpeg-static: package not installed'
        : `ffmpeg-static: failed to load (${err instanceof Error ? err.message : String(err)})`,
    );
  }
  if (staticPath !== null) {
    const problem = probeBinary(staticPath);
    if (problem === null) return { path: staticPath, source: 'ffmpeg-static' };
    problems.push(`ffmpeg-static: ${problem}`);
  }

  const onPath = findOnPath(env);
  if (onPath.length === 0) {
    problems.push('PATH: no ffmpeg found on PATH');
  } else {
    const pathProblems: string[] = [];
    for (const candidate of onPath) {
      const problem = probeBinary(candidate);
      if (problem === null) return { path: candidate, source: 'PATH' };
      pathProblems.push(problem);
    }
    problems.push(`PATH: ${pathProblems.join('; ')}`);
  }

  throw new AppError('ffmpeg-missing', `no working ffmpeg found. ${problems.join('. ')}.`);
}
