// Olaf's answers on a long recording (issue 13's bench:mix), not a test. Olaf's C core prints one line per match:
//   matchCount, queryStart, queryStop, originalPath, audioId, referenceStart, referenceStop
// (olaf_fp_matcher.c: best first, at most 50, at least 6 aligned hashes; "0, 0.00, 0.00, , 0, 0.00, 0.00" when
// nothing matched). A match is one (track, time difference) pair, the difference bucketed to 4 blocks (32 ms), so a
// piece whose tempo drifts shows up as several lines of the same track. Two ways to ask it about a recording:
//  - whole file: one `olaf_core query`; each line is a segment (start-end in the recording, start in the track);
//    lines of one track that overlap or touch in the recording are one segment (their counts summed);
//  - consecutive 10 s windows (what Olaf's `--fragmented` and its monitor mode do): each window is queried alone and
//    its best line names the whole window; consecutive windows of one track are one segment.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { olafIngest } from './olafIngest.js';

export interface OlafLine {
  matchCount: number;
  queryStart: number;
  queryStop: number;
  /** The original path given to `olaf_core store`. */
  path: string;
  referenceStart: number;
  referenceStop: number;
}

export interface OlafSegment {
  /** Span in the recording, seconds. */
  start: number;
  end: number;
  /** The original path given to `olaf_core store`. */
  path: string;
  /** Where `start` falls in the track, seconds. */
  offsetSeconds: number;
  matchCount: number;
}

/** Olaf's result lines (the empty answer and anything else left out); a path may hold commas, the other six fields not. */
export function parseOlafLines(stdout: string): OlafLine[] {
  const out: OlafLine[] = [];
  for (const line of stdout.split('\n')) {
    const f = line.split(', ');
    if (f.length < 7) continue;
    const head = f.slice(0, 3).map(Number);
    const tail = f.slice(-3).map(Number);
    const file = f.slice(3, -3).join(', ');
    if ([...head, ...tail].some((x) => !Number.isFinite(x)) || head[0] <= 0 || file === '') continue;
    out.push({ matchCount: head[0], queryStart: head[1], queryStop: head[2], path: file, referenceStart: tail[1], referenceStop: tail[2] });
  }
  return out;
}

/**
 * Whole-file answer: one segment per line, lines of one track that overlap or touch (within `gap` s) merged, in time
 * order. Olaf also prints weaker alignments of a track with itself (repeated sections); a merged segment takes its
 * position in the track from its strongest line.
 */
export function wholeFileSegments(lines: readonly OlafLine[], gap = 0): OlafSegment[] {
  const sorted = [...lines].sort((a, b) => a.queryStart - b.queryStart);
  const open = new Map<string, { seg: OlafSegment; best: number }>();
  const out: OlafSegment[] = [];
  for (const l of sorted) {
    const cur = open.get(l.path);
    if (cur && l.queryStart <= cur.seg.end + gap) {
      cur.seg.end = Math.max(cur.seg.end, l.queryStop);
      cur.seg.matchCount += l.matchCount;
      if (l.matchCount > cur.best) {
        cur.best = l.matchCount;
        cur.seg.offsetSeconds = l.referenceStart - (l.queryStart - cur.seg.start);
      }
      continue;
    }
    const seg: OlafSegment = { start: l.queryStart, end: l.queryStop, path: l.path, offsetSeconds: l.referenceStart, matchCount: l.matchCount };
    open.set(l.path, { seg, best: l.matchCount });
    out.push(seg);
  }
  return out.sort((a, b) => a.start - b.start);
}

/**
 * Windowed answer: `windows[i]` holds the lines of the window starting at i * `windowSeconds` (query times relative
 * to the window). A window's best line names the whole window; consecutive windows of one track are one segment.
 */
export function windowSegments(windows: readonly (readonly OlafLine[])[], windowSeconds: number, totalSeconds: number): OlafSegment[] {
  const out: OlafSegment[] = [];
  let prev: OlafSegment | null = null;
  windows.forEach((lines, i) => {
    const best = lines.reduce<OlafLine | null>((b, l) => (b === null || l.matchCount > b.matchCount ? l : b), null);
    if (!best) {
      prev = null;
      return;
    }
    const start = i * windowSeconds;
    const end = Math.min(totalSeconds, start + windowSeconds);
    if (prev && prev.path === best.path) {
      prev.end = end;
      prev.matchCount += best.matchCount;
      return;
    }
    prev = { start, end, path: best.path, offsetSeconds: best.referenceStart - best.queryStart, matchCount: best.matchCount };
    out.push(prev);
  });
  return out;
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-1000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString()) : reject(new Error(`${path.basename(cmd)} exited ${code}: ${err}`))));
  });
}

/**
 * An Olaf database of `files` under `home`, made once: reused when its marker says a store of exactly these files
 * completed, else made again from scratch (olafIngest starts from an empty HOME).
 */
export async function ensureOlafLibrary(
  olafBin: string,
  ffmpeg: string,
  files: readonly string[],
  home: string,
  jobs: number,
): Promise<{ reused: boolean; failed: number; seconds: number }> {
  const marker = path.join(home, 'complete.json');
  const want = [...files].sort();
  if (existsSync(marker) && existsSync(path.join(home, '.olaf', 'db', 'data.mdb'))) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { files: string[]; failed: number };
    if (JSON.stringify(m.files) === JSON.stringify(want)) return { reused: true, failed: m.failed, seconds: 0 };
  }
  const started = performance.now();
  const r = await olafIngest(olafBin, ffmpeg, want, home, jobs);
  writeFileSync(marker, JSON.stringify({ files: want, failed: r.failed, dbBytes: r.dbBytes }));
  return { reused: false, failed: r.failed, seconds: (performance.now() - started) / 1000 };
}

export interface OlafAnswers {
  whole: OlafSegment[];
  windows: OlafSegment[];
  /** Wall seconds of each way, decoding included (the decode is shared and counted in both). */
  wholeSeconds: number;
  windowSeconds: number;
}

const RATE = 16000;

/** Asks Olaf (database under `home`) about `file` both ways; `scratch` is a folder for the raw audio. */
export async function olafQueryFile(olafBin: string, ffmpeg: string, home: string, file: string, scratch: string, windowSeconds = 10): Promise<OlafAnswers> {
  mkdirSync(scratch, { recursive: true });
  const env = { ...process.env, HOME: home };
  const raw = path.join(scratch, 'query.raw');
  const t0 = performance.now();
  await run(ffmpeg, ['-hide_banner', '-y', '-loglevel', 'panic', '-i', file, '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-acodec', 'pcm_f32le', raw], env);
  const decodeSeconds = (performance.now() - t0) / 1000;
  const whole = wholeFileSegments(parseOlafLines(await run(olafBin, ['query', raw, file], env)));
  const t1 = performance.now();
  const pcm = readFileSync(raw);
  const per = windowSeconds * RATE * 4;
  const totalSeconds = pcm.length / 4 / RATE;
  const windows: OlafLine[][] = [];
  const piece = path.join(scratch, 'window.raw');
  for (let at = 0; at < pcm.length; at += per) {
    writeFileSync(piece, pcm.subarray(at, Math.min(pcm.length, at + per)));
    windows.push(parseOlafLines(await run(olafBin, ['query', piece, file], env)));
  }
  const t2 = performance.now();
  rmSync(raw, { force: true });
  rmSync(piece, { force: true });
  return {
    whole,
    windows: windowSegments(windows, windowSeconds, totalSeconds),
    wholeSeconds: (t1 - t0) / 1000,
    windowSeconds: (t2 - t1) / 1000 + decodeSeconds,
  };
}
