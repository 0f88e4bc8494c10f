// Audio that is not in the library, for bench:mix's false matches per hour (issue 13 section 0). Bench only.
// Physically varied, and none of it a recording in the library:
//   heldout     held-out tracks, whole (music the library does not hold)
//   reversed    library tracks played backwards (the same instruments, drones and mixes; no landmark runs forward)
//   turntable   library tracks at a turntable speed outside the matcher's +-8 % grid (x0.84-0.89, x1.12-1.18)
//   room        60-120 s of any of those three through the room simulation (speaker, shoebox room, ambience at
//               3-20 dB SNR, phone band and AGC: src-main/engine/testing/room)
//   talk        espeak-ng reading generated sentences in several voices (silence if espeak-ng is missing)
//   ambience    the room benchmark's recorded ambience (bench/roomAmbience.ts): rain, wind, traffic, cafe, ...
//   quiet       digital silence and near-silence (a hum, hiss at -60..-45 dBFS)
// Hours per kind are fractions of the total; pieces are shuffled and written as streams of about an hour (16-bit
// WAV, with a JSON sidecar listing each piece's span). Deterministic by seed; a stream already written for the same
// seed and hours is reused, so two runs (before / after) can read one set.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../src-main/engine/audio/ffmpegPath.js';
import { createRng, encodeWav } from '../src-main/engine/testing/synthAudio.js';
import { agc, drawPhone, drawSpeaker, mixAtSnr, phoneFilters, playThroughSpeaker } from '../src-main/engine/testing/room/chain.js';
import { convolve, filter, uniformIn } from '../src-main/engine/testing/room/dsp.js';
import { drawRoom, roomImpulseResponse } from '../src-main/engine/testing/room/rir.js';
import { AMBIENCE_KINDS, Ambience } from './roomAmbience.js';

export const NEGATIVE_KINDS = ['heldout', 'reversed', 'turntable', 'room', 'talk', 'ambience', 'quiet'] as const;
export type NegativeKind = (typeof NEGATIVE_KINDS)[number];
/** Share of the hours per kind (held-out tracks: at most their own length; the rest tops up with reversed ones). */
const SHARE: Record<NegativeKind, number> = { heldout: 0.25, reversed: 0.25, turntable: 0.15, room: 0.15, talk: 0.08, ambience: 0.08, quiet: 0.04 };

export interface NegativePiece {
  readonly kind: NegativeKind;
  readonly label: string;
  /** Span in the stream, seconds. */
  readonly start: number;
  readonly end: number;
}
export interface NegativeStream {
  readonly file: string;
  readonly seconds: number;
  readonly pieces: readonly NegativePiece[];
}
export interface NegativeTrack {
  readonly path: string;
  readonly duration: number;
}

interface Plan {
  readonly kind: NegativeKind;
  readonly label: string;
  readonly render: () => Float32Array;
}

const WORDS = (
  'the a this that morning evening night music record station weather traffic news city river road bridge window garden ' +
  'people friend listener caller question answer coming next after before always never today tomorrow yesterday ' +
  'quiet loud slow fast little long short warm cold bright dark open closed early late really maybe perhaps here there ' +
  'thanks welcome back stay tuned again minutes hours playing singing talking waiting driving walking working'
).split(' ');
const VOICES = ['en-gb', 'en-us', 'de', 'fr-fr', 'es', 'it', 'nl', 'pt', 'sv', 'pl'];

function decodeWith(file: string, rate: number, af: string): Float32Array {
  const r = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-nostdin', '-i', file, '-ac', '1', '-af', af, '-f', 'f32le', '-'], {
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`ffmpeg could not decode ${file}: ${r.stderr?.toString().slice(-300)}`);
  const b = r.stdout;
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~3)));
}

function talk(rng: () => number, seconds: number, rate: number, scratch: string): Float32Array {
  const words: string[] = [];
  // ~2.5 words a second at espeak's speeds; sentences of 6-14 words.
  while (words.length < seconds * 2.5) {
    const n = 6 + Math.floor(rng() * 9);
    const s = Array.from({ length: n }, () => WORDS[Math.floor(rng() * WORDS.length)]);
    s[0] = s[0][0].toUpperCase() + s[0].slice(1);
    words.push(...s.slice(0, -1), `${s[n - 1]}.`);
  }
  const wav = path.join(scratch, `talk-${Math.floor(rng() * 1e9)}.wav`);
  const voice = VOICES[Math.floor(rng() * VOICES.length)];
  const r = spawnSync('espeak-ng', [
    '-v',
    voice,
    '-s',
    String(130 + Math.floor(rng() * 50)),
    '-p',
    String(30 + Math.floor(rng() * 40)),
    '-w',
    wav,
    words.join(' '),
  ]);
  if (r.status !== 0 || !existsSync(wav)) return new Float32Array(Math.round(seconds * rate));
  try {
    return decodeWith(wav, rate, `aresample=${rate},volume=0.8`);
  } finally {
    rmSync(wav, { force: true });
  }
}

function quiet(rng: () => number, seconds: number, rate: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  const style = Math.floor(rng() * 3); // 0 digital silence, 1 mains hum, 2 hiss
  const level = 10 ** ((-60 + rng() * 15) / 20);
  const hz = rng() < 0.5 ? 50 : 60;
  for (let i = 0; i < out.length; i++) {
    if (style === 1) out[i] = level * (Math.sin((2 * Math.PI * hz * i) / rate) + 0.3 * Math.sin((2 * Math.PI * 3 * hz * i) / rate));
    else if (style === 2) out[i] = level * (2 * rng() - 1);
  }
  return out;
}

/** The room a recording was made in (recordInRoom): reverberation, direct-to-reverberant ratio, ambience and its level. */
export interface RoomRecording {
  readonly rt60: number;
  readonly drrDb: number;
  readonly ambience: string;
  readonly snrDb: number;
}

/**
 * `pcm` played through a speaker in a room with ambience (3-20 dB SNR) and picked up by a phone (the room benchmark's
 * chain), and the room drawn; also bench:mix's room mixes, which keep the room's description beside the recording.
 */
export function recordInRoom(pcm: Float32Array, rng: () => number, rate: number, ambience: Ambience): { pcm: Float32Array; room: RoomRecording } {
  const u = uniformIn(rng);
  const loud = playThroughSpeaker(pcm, drawSpeaker(rng), rate);
  const spec = drawRoom(rng);
  const rir = roomImpulseResponse(spec, rate, rng);
  const wet = convolve(loud, rir.h).subarray(rir.directIndex, rir.directIndex + pcm.length);
  const kind = AMBIENCE_KINDS[Math.floor(rng() * AMBIENCE_KINDS.length)];
  const amb = ambience.render(kind, wet.length, rng).pcm;
  const phone = drawPhone(rng);
  const snrDb = u(3, 20);
  const out = agc(filter(mixAtSnr(wet, amb, snrDb), ...phoneFilters(phone, rate)), phone.agcTargetDb, rate);
  return { pcm: out, room: { rt60: spec.rt60, drrDb: spec.drrDb, ambience: kind, snrDb } };
}

function shuffle<T>(xs: T[], rng: () => number): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [xs[i], xs[j]] = [xs[j], xs[i]];
  }
  return xs;
}

/**
 * Builds (or reuses) `hours` of not-in-library audio in `workDir`: streams negative-NN.wav of about an hour each.
 * `libraryDir`/`heldoutDir` hold the tracks the manifests name; `corpusDir` the ambience recordings.
 */
export async function negativeSet(options: {
  hours: number;
  seed: number;
  rate: number;
  workDir: string;
  corpusDir: string;
  library: readonly NegativeTrack[];
  heldout: readonly NegativeTrack[];
  libraryDir: string;
  heldoutDir: string;
}): Promise<NegativeStream[]> {
  const { hours, seed, rate, workDir, library, heldout, libraryDir, heldoutDir } = options;
  const dir = path.join(workDir, `negatives-seed${seed}-${hours}h`);
  const indexFile = path.join(dir, 'streams.json');
  if (existsSync(indexFile)) return JSON.parse(readFileSync(indexFile, 'utf8')) as NegativeStream[];
  mkdirSync(dir, { recursive: true });
  const rng = createRng(seed * 7919 + 7777);
  const ambience = Ambience.prepare(options.corpusDir, rate);
  const target = (k: NegativeKind): number => SHARE[k] * hours * 3600;
  const plans: Plan[] = [];
  const libraryOrder = shuffle([...library], rng);
  let nextLibrary = 0;
  const takeLibrary = (): NegativeTrack => libraryOrder[nextLibrary++ % libraryOrder.length];

  // Held-out tracks, whole; what they fall short of their share goes to the reversed ones.
  let heldSeconds = 0;
  for (const h of shuffle([...heldout], rng)) {
    if (heldSeconds >= target('heldout')) break;
    heldSeconds += h.duration;
    plans.push({ kind: 'heldout', label: h.path, render: () => decodeWith(path.join(heldoutDir, h.path), rate, `aresample=${rate}`) });
  }
  let seconds = 0;
  while (seconds < target('reversed') + Math.max(0, target('heldout') - heldSeconds)) {
    const t = takeLibrary();
    seconds += t.duration;
    plans.push({ kind: 'reversed', label: `${t.path} reversed`, render: () => decodeWith(path.join(libraryDir, t.path), rate, `aresample=${rate},areverse`) });
  }
  const turntable = (t: NegativeTrack, speed: number): Float32Array =>
    decodeWith(path.join(libraryDir, t.path), rate, `aresample=${rate},asetrate=${Math.round(rate * speed)},aresample=${rate}`);
  const drawSpeed = (): number => Math.round((rng() < 0.5 ? 0.84 + rng() * 0.05 : 1.12 + rng() * 0.06) * 1000) / 1000;
  seconds = 0;
  while (seconds < target('turntable')) {
    const t = takeLibrary();
    const speed = drawSpeed();
    seconds += t.duration / speed;
    plans.push({ kind: 'turntable', label: `${t.path} x${speed}`, render: () => turntable(t, speed) });
  }
  seconds = 0;
  while (seconds < target('room')) {
    const want = 60 + rng() * 60;
    const source = rng();
    const pieceRng = createRng(Math.floor(rng() * 2 ** 31));
    let label: string;
    let render: () => Float32Array;
    if (source < 0.34) {
      const h = heldout[Math.floor(rng() * heldout.length)];
      label = `${h.path} (room)`;
      render = () => decodeWith(path.join(heldoutDir, h.path), rate, `aresample=${rate}`);
    } else if (source < 0.67) {
      const t = takeLibrary();
      label = `${t.path} reversed (room)`;
      render = () => decodeWith(path.join(libraryDir, t.path), rate, `aresample=${rate},areverse`);
    } else {
      const t = takeLibrary();
      const speed = drawSpeed();
      label = `${t.path} x${speed} (room)`;
      render = () => turntable(t, speed);
    }
    const from = rng();
    seconds += want;
    plans.push({
      kind: 'room',
      label,
      render: () => {
        const pcm = render();
        const n = Math.min(pcm.length, Math.round(want * rate));
        const at = Math.floor(from * (pcm.length - n));
        return recordInRoom(pcm.subarray(at, at + n), pieceRng, rate, ambience).pcm;
      },
    });
  }
  seconds = 0;
  while (seconds < target('talk')) {
    const want = 30 + rng() * 60;
    const pieceRng = createRng(Math.floor(rng() * 2 ** 31));
    seconds += want;
    plans.push({ kind: 'talk', label: 'espeak-ng', render: () => talk(pieceRng, want, rate, dir) });
  }
  seconds = 0;
  while (seconds < target('ambience')) {
    const want = 60 + rng() * 120;
    const kind = AMBIENCE_KINDS[Math.floor(rng() * AMBIENCE_KINDS.length)];
    const pieceRng = createRng(Math.floor(rng() * 2 ** 31));
    seconds += want;
    plans.push({ kind: 'ambience', label: kind, render: () => ambience.render(kind, Math.round(want * rate), pieceRng).pcm });
  }
  seconds = 0;
  while (seconds < target('quiet')) {
    const want = 20 + rng() * 70;
    const pieceRng = createRng(Math.floor(rng() * 2 ** 31));
    seconds += want;
    plans.push({ kind: 'quiet', label: 'silence / hum / hiss', render: () => quiet(pieceRng, want, rate) });
  }

  const streams: NegativeStream[] = [];
  let parts: Float32Array[] = [];
  let pieces: NegativePiece[] = [];
  let at = 0;
  const flush = (): void => {
    if (parts.length === 0) return;
    const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    let peak = 0;
    for (const v of out) peak = Math.max(peak, Math.abs(v));
    if (peak > 0.99) for (let i = 0; i < out.length; i++) out[i] *= 0.99 / peak;
    const file = path.join(dir, `negative-${String(streams.length).padStart(2, '0')}.wav`);
    writeFileSync(file, encodeWav(out, rate, 16));
    streams.push({ file, seconds: out.length / rate, pieces });
    parts = [];
    pieces = [];
    at = 0;
  };
  for (const plan of shuffle(plans, rng)) {
    const pcm = plan.render();
    parts.push(pcm);
    pieces.push({ kind: plan.kind, label: plan.label, start: at, end: at + pcm.length / rate });
    at += pcm.length / rate;
    if (at >= 3600) flush();
  }
  flush();
  writeFileSync(indexFile, JSON.stringify(streams, null, 1));
  return streams;
}

/** The piece of `stream` that a span [start, end) overlaps most. */
export function pieceAt(stream: NegativeStream, start: number, end: number): NegativePiece | null {
  let best: NegativePiece | null = null;
  let bestOverlap = 0;
  for (const p of stream.pieces) {
    const o = Math.min(end, p.end) - Math.max(start, p.start);
    if (o > bestOverlap) {
      bestOverlap = o;
      best = p;
    }
  }
  return best;
}
