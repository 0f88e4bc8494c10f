// The distractor plan of bench:scale (issue 11 §2): which recordings grow the corpus library to N times its size, and
// the ffmpeg command that makes each. Pure (no files, no processes) so that its rules have a fast unit test.
//
// Size F = the library plus F-1 "rounds"; round r re-makes every library track once, so the plan for 4x is a prefix of
// the plan for 16x and 40x (building 16x after 4x only adds rounds 3..14). Every distractor is a recording that no clip
// of its source may match: turntable speed changed by 12 % or more (the exact lane's grid stops at 6 %), key-locked
// pitch shifts of 2..5 semitones, time reversal (with such a speed change), or a mixture of two tracks of different packages each transformed so.
// Every draw depends on (seed, round, source index) only.
import { createHash } from 'node:crypto';
import path from 'node:path';

/** One line of the corpus's manifest-library.jsonl (the fields the plan uses). */
export interface LibraryTrack {
  path: string;
  id: string;
  package: string;
  duration: number;
  title: string;
  artist: string;
  album: string;
  style: string;
}

export type DistractorKind = 'speed-down' | 'speed-up' | 'reverse' | 'pitch-up' | 'pitch-down' | 'mix';
export const KINDS: readonly DistractorKind[] = ['speed-down', 'speed-up', 'reverse', 'pitch-up', 'pitch-down', 'mix'];
export type DistractorFormat = 'mp3' | 'm4a' | 'opus' | 'flac';

/** One transform of one track: turntable speed (time and pitch together), then key-locked pitch, then reversal. */
export interface Transform {
  /** Turntable speed: the recording plays `speed` times faster (duration / speed, pitch x speed). */
  speed: number;
  /** Key-locked pitch shift in semitones (tempo kept). */
  semitones: number;
  reverse: boolean;
}

export interface Distractor {
  round: number;
  sourceIndex: number;
  kind: DistractorKind;
  source: string;
  sourceId: string;
  main: Transform;
  /** Mixtures only: the second track (another package), its transform and its gain in dB. */
  partner: { source: string; sourceId: string; transform: Transform; gainDb: number } | null;
  format: DistractorFormat;
  /** Path relative to the distractor root: rNN/<source's folders>/<source stem> (<what>).<ext>. */
  path: string;
  /** Expected duration in seconds (from the manifest durations and the speeds). */
  duration: number;
  tags: { title: string; artist: string; album: string; genre: string; comment: string };
}

/** Uniform in [0, 1) from a hash of the parts. */
export function unit(...parts: (string | number)[]): number {
  const h = createHash('sha256').update(parts.join('\u0000')).digest();
  return h.readUInt32BE(0) / 2 ** 32;
}
const between = (u: number, lo: number, hi: number): number => lo + u * (hi - lo);
const round3 = (x: number): number => Math.round(x * 1000) / 1000;

export const SPEED_DOWN: readonly [number, number] = [0.76, 0.88];
export const SPEED_UP: readonly [number, number] = [1.12, 1.3];
export const SEMITONES: readonly [number, number] = [2, 5];
/** Output sample rate per format (mono): low, as a user's folder would not be, but it keeps 40x on a small disk. */
export const FORMAT_RATE: Record<DistractorFormat, number> = { mp3: 22_050, m4a: 22_050, opus: 24_000, flac: 22_050 };

function drawFormat(u: number): DistractorFormat {
  // About a user's mix of lossy and lossless files.
  if (u < 0.4) return 'mp3';
  if (u < 0.65) return 'm4a';
  if (u < 0.85) return 'opus';
  return 'flac';
}

/** A turntable speed at least 12 % away from 1 (down or up by `u2`). */
function drawSpeed(u1: number, u2: number): number {
  return round3(u2 < 0.5 ? between(u1, ...SPEED_DOWN) : between(u1, ...SPEED_UP));
}
const drawSemitones = (u: number, sign: 1 | -1): number => (sign * Math.round(between(u, ...SEMITONES) * 10)) / 10;

function transformOf(kind: Exclude<DistractorKind, 'mix'>, seed: number, round: number, index: number, salt: string): Transform {
  const u = (what: string): number => unit(seed, round, index, salt, what);
  switch (kind) {
    case 'speed-down':
      return { speed: drawSpeed(u('speed'), 0), semitones: 0, reverse: false };
    case 'speed-up':
      return { speed: drawSpeed(u('speed'), 1), semitones: 0, reverse: false };
    case 'pitch-up':
      return { speed: 1, semitones: drawSemitones(u('semitones'), 1), reverse: false };
    case 'pitch-down':
      return { speed: 1, semitones: drawSemitones(u('semitones'), -1), reverse: false };
    case 'reverse':
      // Reversal alone does not hide every source: sustained tones give peak pairs that read the same backwards, and
      // 2 of 11 reversed tracks (x0.94-1.06) were found by the exact lane (bench:scale's distractor check). So a
      // reversal also changes speed by 12 % or more.
      return { speed: drawSpeed(u('speed'), u('direction')), semitones: 0, reverse: true };
  }
}

export function describe(t: Transform): string {
  const parts: string[] = [];
  if (t.reverse) parts.push('reversed');
  if (t.speed !== 1) parts.push(`speed x${t.speed.toFixed(3)}`);
  if (t.semitones !== 0) parts.push(`pitch ${t.semitones > 0 ? '+' : ''}${t.semitones} st`);
  return parts.join(', ');
}

export const roundsFor = (factor: number): number => Math.max(0, Math.round(factor) - 1);
export const roundDir = (round: number): string => `r${String(round).padStart(2, '0')}`;

/** The distractors of rounds [0, rounds) for a library (in manifest order). */
export function planDistractors(library: readonly LibraryTrack[], rounds: number, seed: number): Distractor[] {
  const out: Distractor[] = [];
  for (let round = 0; round < rounds; round++) {
    for (const [index, track] of library.entries()) out.push(planOne(library, round, index, track, seed));
  }
  return out;
}

function planOne(library: readonly LibraryTrack[], round: number, index: number, track: LibraryTrack, seed: number): Distractor {
  // Consecutive rounds of one track take different kinds; across tracks the kinds are spread evenly.
  const kind = KINDS[(Math.floor(unit(seed, 'kind', index) * KINDS.length) + round) % KINDS.length];
  const format = drawFormat(unit(seed, round, index, 'format'));
  let main: Transform;
  let partner: Distractor['partner'] = null;
  let duration: number;
  if (kind === 'mix') {
    main = transformOf(unit(seed, round, index, 'mixdir') < 0.5 ? 'speed-down' : 'speed-up', seed, round, index, 'a');
    const others = library.map((t, i) => i).filter((i) => library[i].package !== track.package);
    const p = library[others[Math.floor(unit(seed, round, index, 'partner') * others.length)]];
    const partnerKinds = ['pitch-up', 'pitch-down', 'reverse', 'speed-down', 'speed-up'] as const;
    const pKind = partnerKinds[Math.floor(unit(seed, round, index, 'pkind') * partnerKinds.length)];
    const pt = transformOf(pKind, seed, round, index, 'b');
    partner = { source: p.path, sourceId: p.id, transform: pt, gainDb: round3(between(unit(seed, round, index, 'gain'), -6, 0)) };
    duration = Math.min(track.duration / main.speed, p.duration / pt.speed);
  } else {
    main = transformOf(kind, seed, round, index, 'a');
    duration = track.duration / main.speed;
  }
  const what = partner ? `${describe(main)} + ${describe(partner.transform)} of another track` : describe(main);
  const parsed = path.posix.parse(track.path);
  const rel = path.posix.join(roundDir(round), parsed.dir, `${parsed.name} (${kind} ${String(round).padStart(2, '0')}).${format}`);
  return {
    round,
    sourceIndex: index,
    kind,
    source: track.path,
    sourceId: track.id,
    main,
    partner,
    format,
    path: rel,
    duration: round3(duration),
    tags: {
      title: `${track.title} [distractor: ${what}]`,
      artist: `Distractor of ${track.artist}`,
      album: `audio-ident scale distractors ${roundDir(round)}`,
      genre: track.style,
      comment: `distractor of ${track.id}${partner ? ` mixed with ${partner.sourceId}` : ''}; ${what}`,
    },
  };
}

/** The ffmpeg filter chain for one transform of one input (label in, label out). */
export function filterChain(t: Transform, inLabel: string, outLabel: string, pitchMethod: 'rubberband' | 'atempo'): string {
  const steps = ['aresample=44100', 'aformat=sample_fmts=fltp:channel_layouts=mono'];
  if (t.speed !== 1) steps.push(`asetrate=${Math.round(44_100 * t.speed)}`, 'aresample=44100');
  if (t.semitones !== 0) {
    const ratio = 2 ** (t.semitones / 12);
    if (pitchMethod === 'rubberband') steps.push(`rubberband=pitch=${ratio.toFixed(6)}`);
    else steps.push(`asetrate=${Math.round(44_100 * ratio)}`, 'aresample=44100', `atempo=${(1 / ratio).toFixed(6)}`);
  }
  if (t.reverse) steps.push('areverse');
  return `[${inLabel}]${steps.join(',')}[${outLabel}]`;
}

const CODEC_ARGS: Record<DistractorFormat, string[]> = {
  mp3: ['-c:a', 'libmp3lame', '-b:a', '80k', '-f', 'mp3'],
  m4a: ['-c:a', 'aac', '-b:a', '80k', '-f', 'ipod'],
  opus: ['-c:a', 'libopus', '-b:a', '64k', '-f', 'ogg'],
  flac: ['-c:a', 'flac', '-sample_fmt', 's16', '-f', 'flac'],
};

/**
 * The ffmpeg runs that write distractor `d` to `outFile` (a temporary name: the format is given explicitly), in order,
 * and the intermediate files they leave for the caller to delete. A plain distractor is one run. A mixture is three:
 * each transformed input to its own float WAV, then the two mixed. One graph with both inputs never ends on ffmpeg 5.1
 * when a branch holds areverse (it needs its whole input before giving any output, while amix waits on both
 * inputs, so ffmpeg stops reading): 7 of the 1,125 distractors for 4x hung that way.
 */
export function ffmpegSteps(d: Distractor, libraryDir: string, outFile: string, pitchMethod: 'rubberband' | 'atempo'): { runs: string[][]; temps: string[] } {
  const head = ['-hide_banner', '-nostdin', '-loglevel', 'error', '-y', '-threads', '1'];
  const encode = (graph: string): string[] => {
    const args = ['-filter_complex', graph, '-map', '[out]', '-map_metadata', '-1', '-ac', '1', '-ar', String(FORMAT_RATE[d.format])];
    for (const [k, v] of Object.entries(d.tags)) args.push('-metadata', `${k}=${v}`);
    args.push('-metadata', `album_artist=audio-ident distractors`);
    args.push('-fflags', '+bitexact', '-flags:a', '+bitexact', ...CODEC_ARGS[d.format], outFile);
    return args;
  };
  if (!d.partner) {
    const graph = `${filterChain(d.main, '0:a', 'a', pitchMethod)};[a]aresample=${FORMAT_RATE[d.format]}[out]`;
    return { runs: [[...head, '-i', path.join(libraryDir, d.source), ...encode(graph)]], temps: [] };
  }
  const a = `${outFile}.a.wav`;
  const b = `${outFile}.b.wav`;
  const toWav = (source: string, graph: string, file: string): string[] => [
    ...head,
    '-i',
    path.join(libraryDir, source),
    '-filter_complex',
    graph,
    '-map',
    '[out]',
    '-c:a',
    'pcm_f32le',
    '-f',
    'wav',
    file,
  ];
  const mix = `[0:a][1:a]amix=inputs=2:duration=shortest:normalize=0,volume=-3dB[m];[m]aresample=${FORMAT_RATE[d.format]}[out]`;
  return {
    runs: [
      toWav(d.source, filterChain(d.main, '0:a', 'out', pitchMethod), a),
      toWav(d.partner.source, `${filterChain(d.partner.transform, '0:a', 'b0', pitchMethod)};[b0]volume=${d.partner.gainDb}dB[out]`, b),
      [...head, '-i', a, '-i', b, ...encode(mix)],
    ],
    temps: [a, b],
  };
}

/** The manifest line of a built distractor. */
export function manifestLine(d: Distractor, bytes: number): string {
  return JSON.stringify({ ...d, bytes });
}
