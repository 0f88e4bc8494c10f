// Benchmark of tracklists (issue 13) on mixes assembled from the real-music corpus (../shared/bench/corpus). Not a test.
//   npm run bench:mix -- --corpus DIR [--data DIR] [--reuse-index] [--mixes 12] [--seed 1] [--work DIR]
//                        [--negative-hours 10] [--negative-streams N] [--rule current|previous] [--workers 2] [--out DIR]
//                        [--keep-mixes] [--reuse-mixes] [--listen-delay] [--listen] [--distractors DIR] [--room sim|sox]
// 1. Makes mixes: 6-10 pieces each, 40-120 s of a track from a random point; crossfades of 4-16 s, hard cuts, or a
//    gap of talk (espeak-ng) or silence; per piece a tempo change of 0-8 % (key-locked with atempo, or turntable:
//    speed and pitch together), a random bass/treble EQ; ~20 % of the pieces from held-out tracks (must come out as
//    not in the library). A quarter of the mixes are also played through a room: the room simulation of the real-room
//    issue (negativeSet.ts recordInRoom: a small speaker, a shoebox room of RT60 0.3-1.2 s, ambience at 3-20 dB SNR, a
//    phone's mic and AGC), one room per mix; `--room sox` plays them through session 7's stand-in instead (sox reverb,
//    a phone's band-pass, pink noise at 15 dB SNR), as every figure before session 26 was measured.
//    Truth: each piece's span in the mix (a crossfade's boundary = its middle) and where in the track it starts.
// 2. Indexes CORPUS/library (2 workers) unless --reuse-index, then runs LibraryEngine.tracklistFile on every mix, with
//    --workers fingerprint workers (default 2: a mix of 4 minutes or more is searched in two parts at once).
// 3. Scores: a found song counts when it names the right track and overlaps its true span by >= 50 % (of the shorter
//    of the two); precision, recall (room mixes apart), boundary error (median, p90), offset error, seconds of
//    not-in-library audio named as a song, speed (x realtime; --workers 1 gives one thread's).
// 4. False matches per hour: --negative-hours of audio that is not in the library (negativeSet.ts: held-out tracks,
//    library tracks reversed or at a turntable speed outside the +-8 % grid, some of it through the room simulation,
//    talk, ambience, silence), in 1-hour streams kept in --work and reused; --negative-skip K --negative-streams N
//    read streams K..K+N-1.
// The report (--out DIR/bench-mix-seedS.json) keeps every mix's truth, score and found songs, so that two runs (two
// codes, --workers 1 and 2) can be compared song by song; --keep-mixes leaves the mixes' audio in --work (a room mix:
// mixNN-noise.wav, the recording searched, and mixNN.wav, the clean mix it was made from).
// --reuse-mixes searches the mixes an earlier --keep-mixes run of the same seed and count left in --work (each with its
// truth, mixNN.truth.json) instead of making them again: two codes compared on the same audio, without the minutes of
// ffmpeg, sox and espeak-ng that making 12 mixes takes (longer than searching them).
// --listen-delay also plays every mix to Keep listening itself (ListenSession, its options, the audio in the capture
// worklet's 256 ms chunks, each push and its audio checks answered before the next arrives) and reports how many seconds of a library piece were heard
// before Keep listening announced it: the issue's "follows a song change within 5 s of audio".
// --listen plays the negative streams to Keep listening the same way (listenTo), instead of tracklisting them: the
// songs it announces there (new log entries and their notifications) are its false matches per hour.
// --rule previous runs the stream matcher without the offset-peak bars (PREVIOUS_STREAM_OPTIONS), for a side-by-side run.
// --distractors SCALE/distractors, with --data an index grown by bench:scale: a negative piece named as a distractor
// that holds its very recording (distractorCopies.ts) is listed apart from the false matches.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { decodeAudio } from '../src-main/engine/audio/decodeAudio.js';
import { resolveFfmpeg } from '../src-main/engine/audio/ffmpegPath.js';
import { LISTEN_STREAM_OPTIONS, ListenSession } from '../src-main/engine/jobs/listenSession.js';
import { PREVIOUS_STREAM_OPTIONS } from '../src-main/engine/fingerprint/streamTypes.js';
import { LibraryEngine } from '../src-main/engine/libraryEngine.js';
import { createRng, writeWav } from '../src-main/engine/testing/synthAudio.js';
import { workerRunners } from '../src-main/host/openLibrary.js';
import { copyOfPiece, readDistractors } from './distractorCopies.js';
import { NEGATIVE_KINDS, negativeSet, pieceAt, recordInRoom, type NegativeKind, type RoomRecording } from './negativeSet.js';
import { Ambience } from './roomAmbience.js';
import { VERBATIM_MIN_R, verbatimAgreement } from './verbatimCopy.js';
import { ensureOlafLibrary, olafQueryFile, type OlafSegment } from './olafQuery.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    data: { type: 'string' },
    'reuse-index': { type: 'boolean', default: false },
    mixes: { type: 'string', default: '12' },
    seed: { type: 'string', default: '1' },
    work: { type: 'string' },
    'negative-hours': { type: 'string', default: '10' },
    out: { type: 'string', default: 'bench-results' },
    'skip-mixes': { type: 'boolean', default: false },
    rule: { type: 'string', default: 'current' },
    'negative-streams': { type: 'string' },
    'negative-skip': { type: 'string', default: '0' },
    workers: { type: 'string', default: '2' },
    'keep-mixes': { type: 'boolean', default: false },
    'reuse-mixes': { type: 'boolean', default: false },
    'listen-delay': { type: 'boolean', default: false },
    listen: { type: 'boolean', default: false },
    distractors: { type: 'string' },
    room: { type: 'string', default: 'sim' },
  },
});
if (!values.corpus) {
  console.error('usage: npm run bench:mix -- --corpus DIR [--data DIR] [--reuse-index] [--mixes N] [--seed S] [--negative-hours H] [--workers N]');
  process.exit(2);
}
if (values.room !== 'sim' && values.room !== 'sox') {
  console.error(`--room ${values.room}: sim (the room simulation) or sox (the stand-in of the earlier figures)`);
  process.exit(2);
}
// The mixes need sox (room mixes) and espeak-ng (talk): without them a room mix failed half-way through the run and
// talk became silence, so the mixes were not the seed's. Checked before anything is made.
for (const tool of ['sox', 'espeak-ng']) {
  if (spawnSync(tool, ['--version']).status !== 0) {
    console.error(`bench:mix needs ${tool} on PATH (Debian: apt-get install sox libsox-fmt-all espeak-ng)`);
    process.exit(2);
  }
}
const corpus = path.resolve(values.corpus);
/** --rule previous: the stream matcher as it was before the false-match work (for a side-by-side run). */
const previous = values.rule === 'previous';
const matcherOptions = previous ? { matcher: PREVIOUS_STREAM_OPTIONS } : {};
const libraryDir = path.join(corpus, 'library');
const heldoutDir = path.join(corpus, 'heldout');
const dataDir = path.resolve(values.data ?? path.join(os.tmpdir(), 'audio-ident-bench-exact'));
const seed = Number(values.seed);
/** Fingerprint workers of the reading library: a recording of 4 minutes or more is searched in that many parts at once (each at least 2 minutes). */
const workers = Number(values.workers);
const workDir = path.resolve(values.work ?? path.join(os.tmpdir(), `audio-ident-bench-mix-seed${seed}`));
const outDir = path.resolve(values.out);
mkdirSync(workDir, { recursive: true });
mkdirSync(outDir, { recursive: true });
/** A kept mix's truth and the file searched (beside the audio in --work). */
const keptMixPath = (index: number): string => path.join(workDir, `mix${String(index).padStart(2, '0')}.truth.json`);
const reuseMixes = values['reuse-mixes'];
if (reuseMixes) {
  // All or none: the mixes share one random sequence, so a mix made again would not be the seed's if others were not.
  const missing = Array.from({ length: Number(values.mixes) }, (_, i) => keptMixPath(i)).filter((f) => {
    if (!existsSync(f)) return true;
    return !existsSync((JSON.parse(readFileSync(f, 'utf8')) as { wavPath: string }).wavPath);
  });
  if (missing.length > 0) {
    console.error(`--reuse-mixes: ${missing.length} mixes are not kept in ${workDir} (first ${missing[0]}): run once with --keep-mixes`);
    process.exit(2);
  }
}
const RATE = 16000;

interface ManifestEntry {
  path: string;
  duration: number;
  id: string;
  title: string;
}
interface Piece {
  kind: 'library' | 'heldout' | 'talk' | 'silence';
  /** Path relative to library/ (library pieces), else absolute or null. */
  file: string | null;
  /** Span in the mix (crossfade boundaries at their middle), seconds. */
  start: number;
  end: number;
  /** Track seconds at `start`, and track seconds per mix second. */
  trackAt: number;
  speed: number;
  keyLocked: boolean;
}
interface MixTruth {
  name: string;
  seconds: number;
  room: boolean;
  pieces: Piece[];
  /** The room simulation's draw for a room mix (--room sim). */
  roomRecording?: RoomRecording;
}

const readManifest = (file: string): ManifestEntry[] =>
  readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ManifestEntry);

function ffmpegPcm(args: string[]): Promise<Float32Array> {
  return new Promise((resolve, reject) => {
    const child = spawn(resolveFfmpeg().path, ['-v', 'error', '-nostdin', ...args, '-ac', '1', '-ar', String(RATE), '-f', 'f32le', '-'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => chunks.push(c));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ffmpeg ${code}: ${err.slice(-400)}`));
      const b = Buffer.concat(chunks);
      resolve(new Float32Array(b.buffer, b.byteOffset, Math.floor(b.byteLength / 4)).slice());
    });
  });
}

/** `seconds` of mix audio from `file` starting at track second `from`, at `speed` (key-locked or turntable), EQ'd. */
async function renderPiece(
  file: string,
  from: number,
  seconds: number,
  speed: number,
  keyLocked: boolean,
  bass: number,
  treble: number,
): Promise<Float32Array> {
  const filters = [`aresample=${RATE}`];
  if (speed !== 1) {
    if (keyLocked) filters.push(`atempo=${speed.toFixed(4)}`);
    else filters.push(`asetrate=${Math.round(RATE * speed)}`, `aresample=${RATE}`);
  }
  filters.push(`bass=g=${bass.toFixed(1)}`, `treble=g=${treble.toFixed(1)}`);
  const pcm = await ffmpegPcm(['-ss', from.toFixed(3), '-t', (seconds * speed + 1).toFixed(3), '-i', file, '-af', filters.join(',')]);
  return pcm.subarray(0, Math.min(pcm.length, Math.round(seconds * RATE)));
}

function talk(text: string, rng: () => number): Promise<Float32Array> {
  const wav = path.join(workDir, `talk-${Math.floor(rng() * 1e9)}.wav`);
  const voice = ['en', 'en-us', 'de', 'fr', 'es'][Math.floor(rng() * 5)];
  const r = spawnSync('espeak-ng', ['-v', voice, '-s', String(140 + Math.floor(rng() * 40)), '-w', wav, text]);
  if (r.status !== 0) throw new Error(`espeak-ng failed: ${r.stderr?.toString() ?? r.error?.message ?? ''}`);
  return ffmpegPcm(['-i', wav]).finally(() => rmSync(wav, { force: true }));
}

const SENTENCES = [
  'You are listening to the late night mix, stay with us for more music after the news.',
  'That was a classic, and here comes something a little faster for everyone still dancing.',
  'Thanks for all your messages tonight, the next one goes out to everybody driving home.',
  'Coming up after this, the weather and the traffic, but first another record.',
];

/** The room simulation's ambience recordings, read at the first room mix. */
let ambience: Ambience | undefined;

async function makeMix(index: number, library: ManifestEntry[], heldout: ManifestEntry[], rng: () => number): Promise<{ truth: MixTruth; wavPath: string }> {
  const name = `mix${String(index).padStart(2, '0')}`;
  const room = index % 4 === 3;
  const count = 6 + Math.floor(rng() * 5);
  const parts: { pcm: Float32Array; at: number; fadeIn: number }[] = [];
  const pieces: Piece[] = [];
  let cursor = 0;
  let pendingFade = 0;
  for (let i = 0; i < count; i++) {
    // Transition into this piece.
    const t = rng();
    let fadeIn = 0;
    if (i > 0) {
      if (t < 0.5) {
        fadeIn = 4 + rng() * 12;
        cursor -= fadeIn; // overlaps the previous piece's tail
        pieces[pieces.length - 1].end -= fadeIn / 2;
      } else if (t < 0.65) {
        const gap = await talk(SENTENCES[Math.floor(rng() * SENTENCES.length)], rng);
        parts.push({ pcm: gap.map((v) => v * 0.8), at: cursor, fadeIn: 0 });
        pieces.push({ kind: 'talk', file: null, start: cursor, end: cursor + gap.length / RATE, trackAt: 0, speed: 1, keyLocked: false });
        cursor += gap.length / RATE;
      } else if (t < 0.75) {
        const gap = 2 + rng() * 3;
        pieces.push({ kind: 'silence', file: null, start: cursor, end: cursor + gap, trackAt: 0, speed: 1, keyLocked: false });
        cursor += gap;
      }
    }
    pendingFade = fadeIn;
    const fromHeldout = rng() < 0.2;
    const pool = fromHeldout ? heldout : library;
    const entry = pool[Math.floor(rng() * pool.length)];
    const speed = rng() < 0.5 ? 1 : 1 + (rng() < 0.5 ? -1 : 1) * (0.01 + rng() * 0.07);
    const keyLocked = rng() < 0.5;
    const want = 40 + rng() * 80;
    const seconds = Math.min(want, (entry.duration - 2) / speed);
    if (seconds < 25) {
      i--;
      continue;
    }
    const from = rng() * Math.max(0, entry.duration - 1 - seconds * speed);
    const file = path.join(fromHeldout ? heldoutDir : libraryDir, entry.path);
    const pcm = await renderPiece(file, from, seconds, Math.round(speed * 10000) / 10000, keyLocked, -6 + rng() * 12, -6 + rng() * 12);
    const start = cursor + fadeIn / 2;
    parts.push({ pcm, at: cursor, fadeIn });
    pieces.push({
      kind: fromHeldout ? 'heldout' : 'library',
      file: fromHeldout ? entry.path : entry.path,
      start,
      end: cursor + pcm.length / RATE,
      trackAt: from + (fadeIn / 2) * speed,
      speed,
      keyLocked,
    });
    cursor += pcm.length / RATE;
  }
  void pendingFade;
  // Sum with linear crossfades: a piece fades in over its own fadeIn; the one before fades out over the same span.
  const total = Math.ceil(cursor * RATE);
  const mix = new Float32Array(total);
  for (let p = 0; p < parts.length; p++) {
    const { pcm, at, fadeIn } = parts[p];
    const next = parts[p + 1];
    const fadeOut = next && next.fadeIn > 0 ? next.fadeIn : 0;
    const base = Math.round(at * RATE);
    const inN = Math.round(fadeIn * RATE);
    const outN = Math.round(fadeOut * RATE);
    for (let i = 0; i < pcm.length && base + i < total; i++) {
      let g = 1;
      if (i < inN) g *= i / inN;
      if (i >= pcm.length - outN) g *= (pcm.length - i) / outN;
      mix[base + i] += pcm[i] * g;
    }
  }
  let peak = 0;
  for (const v of mix) peak = Math.max(peak, Math.abs(v));
  if (peak > 0) for (let i = 0; i < mix.length; i++) mix[i] *= 0.9 / peak;
  let wavPath = path.join(workDir, `${name}.wav`);
  await writeWav(wavPath, mix, RATE);
  let roomRecording: RoomRecording | undefined;
  if (room && values.room === 'sim') {
    const recorded = path.join(workDir, `${name}-room.wav`);
    ambience ??= Ambience.prepare(corpus, RATE);
    const recording = recordInRoom(mix, createRng(seed * 1000 + index), RATE, ambience);
    roomRecording = recording.room;
    await writeWav(recorded, recording.pcm, RATE);
    if (!values['keep-mixes']) rmSync(wavPath, { force: true });
    wavPath = recorded;
  } else if (room) {
    const roomPath = path.join(workDir, `${name}-room.wav`);
    const noisy = path.join(workDir, `${name}-noise.wav`);
    const sox = spawnSync('sox', [wavPath, roomPath, 'reverb', '60', '50', '90', 'highpass', '200', 'lowpass', '3500', 'norm', '-3']);
    if (sox.status !== 0) throw new Error(`sox failed on ${wavPath}: ${sox.stderr?.toString() ?? sox.error?.message ?? ''}`);
    // Pink noise 15 dB under the music's RMS.
    const roomPcm = await ffmpegPcm(['-i', roomPath]);
    let rms = 0;
    for (const v of roomPcm) rms += v * v;
    rms = Math.sqrt(rms / Math.max(1, roomPcm.length));
    const noiseRng = createRng(seed * 1000 + index);
    let b0 = 0;
    let b1 = 0;
    let b2 = 0;
    const noiseLevel = rms / 10 ** (15 / 20);
    for (let i = 0; i < roomPcm.length; i++) {
      const w = 2 * noiseRng() - 1;
      b0 = 0.99765 * b0 + w * 0.099046;
      b1 = 0.963 * b1 + w * 0.2965164;
      b2 = 0.57 * b2 + w * 1.0526913;
      roomPcm[i] += ((b0 + b1 + b2 + w * 0.1848) / 3.5) * noiseLevel * 1.5;
    }
    await writeWav(noisy, roomPcm, RATE);
    rmSync(roomPath, { force: true });
    // What is searched is the room's recording: the clean mix is kept only with --keep-mixes (beside it, for comparing).
    if (!values['keep-mixes']) rmSync(wavPath, { force: true });
    wavPath = noisy;
  }
  const truth: MixTruth = { name, seconds: total / RATE, room, pieces, ...(roomRecording ? { roomRecording } : {}) };
  return { truth, wavPath };
}

interface MixScore {
  name: string;
  room: boolean;
  seconds: number;
  wallSeconds: number;
  truePieces: number;
  found: number;
  predicted: number;
  correct: number;
  wrong: number;
  boundaryErrors: number[];
  offsetErrors: number[];
  unknownAttributedSeconds: number;
  heldoutAttributed: number;
  missed: string[];
  wrongOnes: string[];
}

const overlap = (a0: number, a1: number, b0: number, b1: number): number => Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));

/** What score reads of an answer: our Tracklist, or Olaf's segments in the same shape. */
interface ScoredList {
  segments: readonly { start: number; end: number; track: { filePath: string } | null; offsetSeconds: number | null }[];
}

/**
 * A song Keep listening announced (a new room-log entry and its notification): its file, the files of the same
 * recording heard with it, where the entry starts and how sure it was, and the seconds of the stream heard then.
 */
interface Announced {
  readonly filePath: string;
  readonly sameRecording: readonly string[];
  readonly title: string;
  readonly at: number;
  readonly start: number;
  readonly offsetSeconds: number | null;
  readonly speedFactor: number | null;
  readonly confidence: number;
}

/**
 * The audio Keep listening pushes at a time: the capture worklet's chunk (src-renderer/public/captureWorklet.js
 * CHUNK_FRAMES at 8 kHz, 256 ms), which the app pushes as it comes (keepListeningSlice.ts KEEP_PUSH_EVERY_MS).
 */
const LISTEN_PUSH_SAMPLES = 2048;

/**
 * A recording played to Keep listening itself (ListenSession, with its options): the audio as the app pushes it
 * (LISTEN_PUSH_SAMPLES), each push answered (its audio checks included) before the next, as live. Every song it announces, i.e. what the
 * user sees: a new log entry and its notification (the same file heard on without a break, a loop's repeat, joins its
 * entry and is not announced again; the matcher's confirmations are counted too).
 */
async function listenTo(lib: LibraryEngine, wavPath: string): Promise<{ announced: Announced[]; confirmations: number; seconds: number }> {
  const deps = lib.identifyDeps();
  const rate = deps.config.sampleRateHz;
  const pcm = await decodeAudio(wavPath, { sampleRateHz: rate });
  let heard = 0;
  const announced: Announced[] = [];
  const session = new ListenSession(
    deps,
    (entry) => {
      if (!entry.track) return;
      announced.push({
        filePath: entry.track.filePath,
        sameRecording: (entry.sameRecording ?? []).map((t) => t.filePath),
        title: entry.track.title,
        at: heard,
        start: entry.startSeconds,
        offsetSeconds: entry.offsetSeconds,
        speedFactor: entry.speedFactor,
        confidence: entry.confidence ?? 0,
      });
    },
    { ...LISTEN_STREAM_OPTIONS, ...matcherOptions.matcher },
  );
  for (let at = 0; at < pcm.length; at += LISTEN_PUSH_SAMPLES) {
    heard = Math.min(pcm.length, at + LISTEN_PUSH_SAMPLES) / rate;
    await session.push(pcm.subarray(at, at + LISTEN_PUSH_SAMPLES));
  }
  await session.stop();
  return { announced, confirmations: session.confirmations, seconds: pcm.length / rate };
}

/** What Keep listening announced in a recording, as a tracklist's named segments (for the negatives' count). */
async function listenedList(
  lib: LibraryEngine,
  wavPath: string,
): Promise<{
  durationSeconds: number;
  confirmations: number;
  segments: {
    track: { title: string; filePath: string } | null;
    start: number;
    end: number;
    offsetSeconds: number | null;
    speedFactor: number | null;
    confidence: number;
  }[];
}> {
  const { announced, confirmations, seconds } = await listenTo(lib, wavPath);
  return {
    durationSeconds: seconds,
    confirmations,
    // Each entry from where it starts to when it was announced (its end is not known yet then).
    segments: announced.map((a) => ({
      track: { title: a.title, filePath: a.filePath },
      start: +a.start.toFixed(2),
      end: +a.at.toFixed(2),
      offsetSeconds: a.offsetSeconds,
      speedFactor: a.speedFactor,
      confidence: +a.confidence.toFixed(3),
    })),
  };
}

/**
 * Keep listening's delay on one mix (listenTo): a library piece's delay is the seconds from its true start (a
 * crossfade's middle) to the first announcement of its recording (its file, or another file of it named beside) made
 * while it played (0 when made during the fade's first half); null when it was not announced while it played.
 */
async function listenDelays(lib: LibraryEngine, truth: MixTruth, wavPath: string): Promise<(number | null)[]> {
  const { announced } = await listenTo(lib, wavPath);
  const names = (a: Announced): string[] => [a.filePath, ...a.sameRecording].map((f) => path.relative(libraryDir, f));
  return truth.pieces.flatMap((p, i) => {
    if (p.kind !== 'library') return [];
    // A crossfade's second half plays the piece before its true start: an announcement there (after the piece
    // before began, so not that piece's own) is on time, delay 0.
    const after = i > 0 ? truth.pieces[i - 1].start : -Infinity;
    const first = announced.find((a) => p.file !== null && names(a).includes(p.file) && a.at > after && a.at <= p.end);
    return [first ? Math.max(0, first.at - p.start) : null];
  });
}

function score(truth: MixTruth, list: ScoredList, wallSeconds: number): MixScore {
  const songs = list.segments.filter((s) => s.track);
  const rel = (p: string): string => path.relative(libraryDir, p);
  const truthSongs = truth.pieces.filter((p) => p.kind === 'library');
  const used = new Set<number>();
  const s: MixScore = {
    name: truth.name,
    room: truth.room,
    seconds: truth.seconds,
    wallSeconds,
    truePieces: truthSongs.length,
    found: 0,
    predicted: songs.length,
    correct: 0,
    wrong: 0,
    boundaryErrors: [],
    offsetErrors: [],
    unknownAttributedSeconds: 0,
    heldoutAttributed: 0,
    missed: [],
    wrongOnes: [],
  };
  for (const t of truthSongs) {
    let hit = -1;
    for (let i = 0; i < songs.length; i++) {
      if (used.has(i) || rel(songs[i].track!.filePath) !== t.file) continue;
      const o = overlap(t.start, t.end, songs[i].start, songs[i].end);
      if (o >= 0.5 * Math.min(t.end - t.start, songs[i].end - songs[i].start)) {
        hit = i;
        break;
      }
    }
    if (hit < 0) {
      s.missed.push(`${t.file} @${t.start.toFixed(0)}s x${t.speed.toFixed(3)}${t.keyLocked ? ' key-locked' : ''}`);
      continue;
    }
    used.add(hit);
    s.found++;
    const p = songs[hit];
    s.boundaryErrors.push(Math.abs(p.start - t.start), Math.abs(p.end - t.end));
    const trackAtPredictedStart = t.trackAt + (p.start - t.start) * t.speed;
    s.offsetErrors.push(Math.abs((p.offsetSeconds ?? 0) - trackAtPredictedStart));
  }
  s.correct = used.size;
  for (let i = 0; i < songs.length; i++) {
    if (used.has(i)) continue;
    const p = songs[i];
    // A second segment of a true piece (split by a noisy patch) is not a wrong answer: it names the right track.
    const same = truthSongs.find((t) => t.file === rel(p.track!.filePath) && overlap(t.start, t.end, p.start, p.end) > 0);
    if (!same) {
      s.wrong++;
      s.wrongOnes.push(`${rel(p.track!.filePath)} @${p.start.toFixed(0)}-${p.end.toFixed(0)}s`);
    }
  }
  for (const t of truth.pieces.filter((x) => x.kind !== 'library')) {
    let attributed = 0;
    for (const p of songs) attributed += overlap(t.start, t.end, p.start, p.end);
    s.unknownAttributedSeconds += attributed;
    if (t.kind === 'heldout' && attributed > 0.5 * (t.end - t.start)) s.heldoutAttributed++;
  }
  return s;
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

/** One lane's figures as table cells (the side-by-side comparison with Olaf). */
function laneFigures(scores: MixScore[], truths: MixTruth[]): string[] {
  const sum = (f: (s: MixScore) => number, sel: (s: MixScore) => boolean = () => true): number => scores.filter(sel).reduce((n, s) => n + f(s), 0);
  const pct = (a: number, b: number): string => `${((100 * a) / Math.max(1, b)).toFixed(1)}%`;
  const found = sum((s) => s.found);
  const truePieces = sum((s) => s.truePieces);
  const wrong = sum((s) => s.wrong);
  const room = (s: MixScore): boolean => s.room;
  const b = scores.flatMap((s) => s.boundaryErrors);
  const o = scores.flatMap((s) => s.offsetErrors);
  const bySpeed = (lo: number, hi: number): string => {
    const ps = truths.flatMap((t, i) =>
      t.pieces.filter((p) => p.kind === 'library' && Math.abs(p.speed - 1) >= lo && Math.abs(p.speed - 1) < hi).map((p) => ({ p, s: scores[i] })),
    );
    return `${ps.filter(({ p, s }) => !s.missed.some((m) => m.startsWith(`${p.file} @${p.start.toFixed(0)}s`))).length}/${ps.length}`;
  };
  return [
    `${pct(found, truePieces)} (${found}/${truePieces})`,
    `${pct(
      sum((s) => s.found, room),
      sum((s) => s.truePieces, room),
    )}`,
    `${pct(found, found + wrong)} (${wrong} wrong)`,
    `${sum((s) => s.heldoutAttributed)}`,
    `${sum((s) => s.unknownAttributedSeconds).toFixed(1)} s`,
    `${percentile(b, 50).toFixed(2)} / ${percentile(b, 90).toFixed(2)} s`,
    `${percentile(o, 50).toFixed(2)} / ${percentile(o, 90).toFixed(2)} s`,
    `${bySpeed(0, 0.0001)}, ${bySpeed(0.0001, 0.03)}, ${bySpeed(0.03, 0.05)}, ${bySpeed(0.05, 0.09)}`,
    `${(
      sum((s) => s.seconds) /
      Math.max(
        1e-9,
        sum((s) => s.wallSeconds),
      )
    ).toFixed(0)}x`,
  ];
}
const LANE_ROWS = [
  'library pieces found (recall)',
  'room mixes recall',
  'precision',
  'held-out pieces named',
  'not-in-library seconds named',
  'boundary error median / p90',
  'offset error median / p90',
  'found by tempo change: none / 1-3 / 3-5 / 5-8 %',
  'speed (x realtime, --workers fingerprint workers)',
];

/** Olaf's segments in the shape score reads; paths are the library files Olaf was given, so they map back as they are. */
const olafList = (segs: readonly OlafSegment[]): ScoredList => ({
  segments: segs.map((s) => ({ start: s.start, end: s.end, track: { filePath: s.path }, offsetSeconds: s.offsetSeconds })),
});

async function main(): Promise<void> {
  const library = readManifest(path.join(corpus, 'manifest-library.jsonl'));
  const heldout = readManifest(path.join(corpus, 'manifest-heldout.jsonl'));
  const rng = createRng(seed);
  const lines: string[] = [];
  const say = (line: string): void => {
    console.log(line);
    lines.push(line);
  };
  if (!values['reuse-index'] || !existsSync(path.join(dataDir, 'catalog.sqlite'))) {
    rmSync(dataDir, { recursive: true, force: true });
    const lib = await LibraryEngine.open(dataDir, workerRunners(2), undefined, { embedderManifest: null });
    const summary = await lib.scan([libraryDir]);
    await lib.close();
    say(`indexed ${summary.added} files (${(summary.audioSeconds / 3600).toFixed(2)} h) in ${summary.wallSeconds.toFixed(0)} s`);
  }
  const olafBin = process.env.OLAF_BIN;
  // Olaf's own index of the library, kept beside ours (the data folder's parent) unless OLAF_HOME says where.
  const olafHome = path.resolve(process.env.OLAF_HOME ?? path.join(path.dirname(dataDir), 'olaf-home-lib'));
  if (olafBin) {
    const files = library.map((e) => path.join(libraryDir, e.path));
    const r = await ensureOlafLibrary(olafBin, resolveFfmpeg().path, files, olafHome, 2);
    say(
      `Olaf (${olafBin}): library of ${files.length} files in ${olafHome}, ${r.reused ? 'reused' : `stored in ${r.seconds.toFixed(0)} s (2 jobs)`}, ${r.failed} failed`,
    );
  }
  const lib = await LibraryEngine.open(dataDir, workerRunners(workers), undefined, { embedderManifest: null, lockAs: null }); // a reader: benches may share one index
  const report: Record<string, unknown> = { date: new Date().toISOString(), seed, corpus };
  try {
    if (!values['skip-mixes']) {
      const scores: MixScore[] = [];
      const truths: MixTruth[] = [];
      const olafWhole: MixScore[] = [];
      const olafWindows: MixScore[] = [];
      const lists: { name: string; songs: { start: number; end: number; file: string; offset: number | null; speed: number | null }[] }[] = [];
      const delays: (number | null)[] = [];
      for (let i = 0; i < Number(values.mixes); i++) {
        const { truth, wavPath } = reuseMixes
          ? (JSON.parse(readFileSync(keptMixPath(i), 'utf8')) as { truth: MixTruth; wavPath: string })
          : await makeMix(i, library, heldout, rng);
        if (values['keep-mixes'] && !reuseMixes) writeFileSync(keptMixPath(i), JSON.stringify({ truth, wavPath }));
        truths.push(truth);
        const started = performance.now();
        const list = await lib.tracklistFile(wavPath, matcherOptions);
        const wall = (performance.now() - started) / 1000;
        const s = score(truth, list, wall);
        scores.push(s);
        lists.push({
          name: truth.name,
          songs: list.segments.flatMap((x) =>
            x.track ? [{ start: x.start, end: x.end, file: path.relative(libraryDir, x.track.filePath), offset: x.offsetSeconds, speed: x.speedFactor }] : [],
          ),
        });
        const heard = values['listen-delay'] ? await listenDelays(lib, truth, wavPath) : [];
        delays.push(...heard);
        const r = truth.roomRecording;
        const roomNote = r
          ? ` (room: RT60 ${r.rt60.toFixed(2)} s, DRR ${r.drrDb.toFixed(1)} dB, ${r.ambience} at ${r.snrDb.toFixed(1)} dB)`
          : s.room
            ? ' (room)'
            : '';
        const listenNote = values['listen-delay'] ? `, Keep listening announced ${heard.filter((d) => d !== null).length}/${heard.length}` : '';
        console.error(
          `  ${s.name}${roomNote}: ${(s.seconds / 60).toFixed(1)} min, ${s.found}/${s.truePieces} found, ${s.wrong} wrong, ${s.heldoutAttributed} held-out named, ${(s.seconds / wall).toFixed(0)}x realtime${listenNote}` +
            (s.missed.length ? `\n    missed: ${s.missed.join('; ')}` : '') +
            (s.wrongOnes.length ? `\n    wrong: ${s.wrongOnes.join('; ')}` : ''),
        );
        if (olafBin) {
          const answers = await olafQueryFile(olafBin, resolveFfmpeg().path, olafHome, wavPath, path.join(workDir, 'olaf-scratch'));
          for (const [lane, segs, secs, into] of [
            ['whole file', answers.whole, answers.wholeSeconds, olafWhole],
            ['10 s windows', answers.windows, answers.windowSeconds, olafWindows],
          ] as const) {
            const o = score(truth, olafList(segs), secs);
            into.push(o);
            console.error(
              `    Olaf ${lane}: ${o.found}/${o.truePieces} found, ${o.wrong} wrong, ${o.heldoutAttributed} held-out named, ${(o.seconds / secs).toFixed(0)}x realtime` +
                (o.wrongOnes.length ? `\n      wrong: ${o.wrongOnes.join('; ')}` : ''),
            );
          }
        }
        if (!values['keep-mixes'] && !reuseMixes) rmSync(wavPath, { force: true });
      }
      const sum = (f: (s: MixScore) => number, sel: (s: MixScore) => boolean = () => true): number => scores.filter(sel).reduce((n, s) => n + f(s), 0);
      const all = (f: (s: MixScore) => number[], sel: (s: MixScore) => boolean = () => true): number[] => scores.filter(sel).flatMap(f);
      const found = sum((s) => s.found);
      const truePieces = sum((s) => s.truePieces);
      const predictedSongs = sum((s) => s.found + s.wrong);
      const plain = (s: MixScore): boolean => !s.room;
      const room = (s: MixScore): boolean => s.room;
      const seconds = sum((s) => s.seconds);
      const wall = sum((s) => s.wallSeconds);
      const pieces = truths.flatMap((t) => t.pieces);
      say(
        `bench:mix seed ${seed}: ${scores.length} mixes, ${(seconds / 3600).toFixed(2)} h, ${pieces.filter((p) => p.kind === 'library').length} library pieces, ${pieces.filter((p) => p.kind === 'heldout').length} held-out, ${pieces.filter((p) => p.kind === 'talk').length} talk, ${pieces.filter((p) => p.kind === 'silence').length} silence`,
      );
      say(
        `  recall ${((100 * found) / truePieces).toFixed(1)}% (${found}/${truePieces}); plain mixes ${((100 * sum((s) => s.found, plain)) / sum((s) => s.truePieces, plain)).toFixed(1)}%, room mixes ${(
          (100 * sum((s) => s.found, room)) /
          Math.max(
            1,
            sum((s) => s.truePieces, room),
          )
        ).toFixed(1)}%`,
      );
      say(
        `  precision ${((100 * found) / Math.max(1, predictedSongs)).toFixed(1)}% (${sum((s) => s.wrong)} wrong songs); held-out pieces named: ${sum((s) => s.heldoutAttributed)}; not-in-library seconds named as a song: ${sum((s) => s.unknownAttributedSeconds).toFixed(1)}`,
      );
      const b = all((s) => s.boundaryErrors);
      const o = all((s) => s.offsetErrors);
      say(
        `  boundary error median ${percentile(b, 50).toFixed(2)} s, p90 ${percentile(b, 90).toFixed(2)} s; offset error median ${percentile(o, 50).toFixed(2)} s, p90 ${percentile(o, 90).toFixed(2)} s`,
      );
      say(`  speed ${(seconds / wall).toFixed(0)}x realtime with ${workers} fingerprint worker(s) (${wall.toFixed(0)} s for ${(seconds / 60).toFixed(0)} min)`);
      const bySpeed = (lo: number, hi: number): string => {
        const ps = truths.flatMap((t, i) =>
          t.pieces.filter((p) => p.kind === 'library' && Math.abs(p.speed - 1) >= lo && Math.abs(p.speed - 1) < hi).map((p) => ({ p, s: scores[i] })),
        );
        const hit = ps.filter(({ p, s }) => !s.missed.some((m) => m.startsWith(`${p.file} @${p.start.toFixed(0)}s`))).length;
        return `${hit}/${ps.length}`;
      };
      say(`  found by tempo change: none ${bySpeed(0, 0.0001)}, 1-3 % ${bySpeed(0.0001, 0.03)}, 3-5 % ${bySpeed(0.03, 0.05)}, 5-8 % ${bySpeed(0.05, 0.09)}`);
      if (values['listen-delay']) {
        const heardAt = delays.filter((d): d is number => d !== null);
        say(
          `  Keep listening (one matcher, live): a library piece announced after a median ${percentile(heardAt, 50).toFixed(1)} s of it, p90 ${percentile(heardAt, 90).toFixed(1)} s; ${delays.length - heardAt.length} of ${delays.length} not announced while they played`,
        );
      }
      report.mixes = { scores, truths, lists, ...(values['listen-delay'] ? { delays } : {}) };
      if (olafBin) {
        const cols = [laneFigures(scores, truths), laneFigures(olafWhole, truths), laneFigures(olafWindows, truths)];
        say('');
        say('| same mixes | ours (tracklist) | Olaf whole-file query | Olaf consecutive 10 s queries |');
        say('|---|---|---|---|');
        LANE_ROWS.forEach((row, r) => say(`| ${row} | ${cols.map((c) => c[r]).join(' | ')} |`));
        report.olaf = { whole: olafWhole, windows: olafWindows };
      }
    }
    const hours = Number(values['negative-hours']);
    if (hours > 0) {
      const allStreams = await negativeSet({ hours, seed, rate: RATE, workDir, corpusDir: corpus, library, heldout, libraryDir, heldoutDir });
      // --negative-skip K --negative-streams N: streams K..K+N-1 of the set (a shorter run, or one of several in parallel).
      const skip = Number(values['negative-skip']);
      const streams = allStreams.slice(skip, values['negative-streams'] ? skip + Number(values['negative-streams']) : allStreams.length);
      let negSeconds = 0;
      let negWall = 0;
      let confirmations = 0;
      const falseSongs: string[] = [];
      // On a library grown with bench:scale's distractors (--distractors: their folder), a negative piece may be a
      // recording the library holds (distractorCopies.ts): named, it is listed apart, not as a false match.
      const distractors = values.distractors ? readDistractors(path.resolve(values.distractors)) : null;
      const copies: string[] = [];
      // A held-out piece may hold seconds of a library track verbatim (verbatimCopy.ts): named there, it is listed apart.
      const verbatim: string[] = [];
      const byKind = new Map<NegativeKind, { seconds: number; falses: number }>(NEGATIVE_KINDS.map((k) => [k, { seconds: 0, falses: 0 }]));
      for (const stream of streams) for (const p of stream.pieces) byKind.get(p.kind)!.seconds += p.end - p.start;
      for (const stream of streams) {
        const started = performance.now();
        const list = values.listen ? await listenedList(lib, stream.file) : await lib.tracklistFile(stream.file, matcherOptions);
        negWall += (performance.now() - started) / 1000;
        negSeconds += list.durationSeconds;
        if ('confirmations' in list) confirmations += list.confirmations;
        for (const s of list.segments) {
          if (!s.track) continue;
          const piece = pieceAt(stream, s.start, s.end);
          const entry = distractors?.get(path.resolve(s.track.filePath));
          const copy = entry && piece ? copyOfPiece(entry, piece.label) : null;
          if (copy) {
            copies.push(
              `${path.basename(stream.file)} ${s.start}-${s.end}: ${s.track.title} (${s.confidence}) in ${piece!.kind}: ${piece!.label} [${copy === 'whole' ? 'the same recording' : 'one track of this mixture'}]`,
            );
            console.error(`    (a library copy) ${copies[copies.length - 1]}`);
            continue;
          }
          const r =
            s.offsetSeconds !== null && s.speedFactor !== null
              ? await verbatimAgreement(stream.file, s.start, s.end, s.track.filePath, s.offsetSeconds, s.speedFactor)
              : 0;
          if (r >= VERBATIM_MIN_R) {
            verbatim.push(
              `${path.basename(stream.file)} ${s.start}-${s.end}: ${s.track.title} (${s.confidence}) in ${piece ? `${piece.kind}: ${piece.label}` : '?'} [waveform r = ${r.toFixed(3)}]`,
            );
            console.error(`    (the library recording itself) ${verbatim[verbatim.length - 1]}`);
            continue;
          }
          if (piece) byKind.get(piece.kind)!.falses++;
          falseSongs.push(
            `${path.basename(stream.file)} ${s.start}-${s.end}: ${s.track.title} (${s.confidence}) in ${piece ? `${piece.kind}: ${piece.label}` : '?'}`,
          );
          console.error(`    ${falseSongs[falseSongs.length - 1]}`);
        }
        console.error(
          `  ${path.basename(stream.file)}: ${(list.durationSeconds / 60).toFixed(0)} min, ${list.segments.filter((s) => s.track).length} songs named (${(negSeconds / 3600).toFixed(2)} h so far, ${falseSongs.length} false)`,
        );
      }
      say(
        `${values.listen ? 'Keep listening ' : ''}false matches: ${falseSongs.length} in ${(negSeconds / 3600).toFixed(2)} h of audio not in the library (${(falseSongs.length / Math.max(1e-9, negSeconds / 3600)).toFixed(2)} per hour), ${(negSeconds / negWall).toFixed(0)}x realtime${previous ? ' [previous stream rule]' : ''}${values.listen ? ` (the matcher confirmed a song ${confirmations} times: a song found again at another position joins its entry)` : ''}`,
      );
      say(`  by kind: ${[...byKind].map(([k, v]) => `${k} ${v.falses} in ${(v.seconds / 3600).toFixed(2)} h`).join(', ')}`);
      for (const f of falseSongs) say(`    ${f}`);
      say(
        `  named, and not counted above: ${verbatim.length} stretches that are the named library recording itself (waveform correlation >= ${VERBATIM_MIN_R} where it was named: a held-out track playing a library track's audio)`,
      );
      for (const v of verbatim) say(`    ${v}`);
      if (distractors) {
        say(
          `  named, and not counted above: ${copies.length} pieces named as a distractor that holds their very recording (the same track and direction, under 12 % off its speed)`,
        );
        for (const c of copies) say(`    ${c}`);
      }
      report.negatives = {
        seconds: negSeconds,
        falseSongs,
        byKind: Object.fromEntries(byKind),
        verbatim,
        ...(values.listen ? { confirmations } : {}),
        ...(distractors ? { copies } : {}),
      };
    }
  } finally {
    await lib.close();
  }
  writeFileSync(path.join(outDir, `bench-mix-seed${seed}.json`), JSON.stringify(report, null, 1));
  writeFileSync(path.join(outDir, `bench-mix-seed${seed}.txt`), `${lines.join('\n')}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
