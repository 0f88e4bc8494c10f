// The fake library's scripted engine answers (createFakeLibrary's defaults; tests script their own through
// FakeLibrary.scripts): what a clip is identified as, the tracklist of a recording, what a keep-listening session
// hears, a track's cover. Pure functions of the request and the library's tracks.
import type { Artwork, IdentifyRequest, ListenLogEntry, ListenState, TracklistRequest } from '../api.js';
import type { AppErrorInfo, IdentifyResult, TrackSummary, Tracklist, TracklistSegment, VibeMatch } from '../library.js';

/** The part of an AbortSignal the fake watches (the contract has no DOM or Node types; both signals fit). */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { readonly once?: boolean }): void;
}

/**
 * What the fake engine answers; each may answer later (a promise) and may watch `signal` (the doors that give up).
 * An AppErrorInfo is the call's error.
 */
export interface FakeScripts {
  identify: (
    request: IdentifyRequest,
    tracks: readonly TrackSummary[],
    signal?: AbortSignalLike,
  ) => IdentifyResult | AppErrorInfo | Promise<IdentifyResult | AppErrorInfo>;
  tracklist: (
    request: TracklistRequest,
    tracks: readonly TrackSummary[],
    signal?: AbortSignalLike,
  ) => Tracklist | AppErrorInfo | Promise<Tracklist | AppErrorInfo>;
  /** What a keep-listening session hears after `heardSeconds` of audio. */
  listen: (heardSeconds: number, tracks: readonly TrackSummary[]) => Pick<ListenState, 'playing' | 'log'>;
  /** A track's cover (null: none). */
  artwork: (track: TrackSummary) => Artwork | null;
}

/**
 * The default keep-listening script: the first two tracks play 30 s each (the second 4 % faster), then music not in
 * the library. A song shows once 5 s of it were heard (as the engine confirms after a few seconds).
 */
export function defaultFakeListen(heardSeconds: number, tracks: readonly TrackSummary[]): Pick<ListenState, 'playing' | 'log'> {
  const plan = [
    { track: tracks[0] ?? null, start: 0, end: 30, offset: 12, speed: 1 },
    { track: tracks[1] ?? null, start: 30, end: 60, offset: 3, speed: 1.04 },
  ];
  const log: ListenLogEntry[] = [];
  let playing: ListenState['playing'] = null;
  plan.forEach((p, i) => {
    if (!p.track || heardSeconds < p.start + 5) return;
    const ongoing = heardSeconds < p.end + 5;
    const end = Math.min(p.end, heardSeconds);
    log.push({ id: i + 1, startSeconds: p.start, endSeconds: end, track: p.track, offsetSeconds: p.offset, speedFactor: p.speed, confidence: 0.9, ongoing });
    if (heardSeconds < p.end) {
      playing = { track: p.track, positionSeconds: p.offset + (heardSeconds - p.start) * p.speed, speedFactor: p.speed, confidence: 0.9, entryId: i + 1 };
    }
  });
  if (heardSeconds >= 65)
    log.push({ id: 0, startSeconds: 60, endSeconds: heardSeconds, track: null, offsetSeconds: null, speedFactor: null, confidence: null, ongoing: false });
  return { playing, log };
}

/** Simulated tracklists report this many progress steps before answering. */
export const TRACKLIST_STEPS = 4;

/**
 * The default tracklist script: the recording is as long as its bytes at 128 kbit/s (at least 100 s); the library's
 * tracks follow each other in 40 s stretches (the second at 4 % faster), every fourth stretch not in the library.
 */
export function defaultFakeTracklist(request: TracklistRequest, tracks: readonly TrackSummary[]): Tracklist {
  const durationSeconds = Math.max(100, Math.round(request.audio.bytes.length / 16_000));
  const segments: TracklistSegment[] = [];
  for (let start = 0, i = 0; start < durationSeconds; start += 40, i++) {
    const end = Math.min(durationSeconds, start + 40);
    const track = i % 4 === 3 || tracks.length === 0 ? null : tracks[i % tracks.length];
    segments.push(
      track
        ? { start, end, track, offsetSeconds: 10 + i, speedFactor: i === 1 ? 1.04 : 1, pitchFactor: i === 1 ? 1.04 : 1, confidence: 0.9, alignedHashes: 50 }
        : { start, end, track: null, offsetSeconds: null, speedFactor: null, pitchFactor: null, confidence: null, alignedHashes: null },
    );
  }
  return { durationSeconds, segments, durationMs: 200 };
}

function silentPeak(samples: Float32Array): number {
  let peak = 0;
  for (let i = 0; i < samples.length; i++) peak = Math.max(peak, Math.abs(samples[i]));
  return peak;
}

/** The default script: mic clips match track 1 at 60 s once >= 4 s long and audible; files match unless named "unknown". */
export function defaultFakeIdentify(request: IdentifyRequest, tracks: readonly TrackSummary[]): IdentifyResult | AppErrorInfo {
  const audio = request.audio;
  let clipSeconds: number;
  let matches: boolean;
  if (audio.kind === 'pcm') {
    clipSeconds = audio.samples.length / audio.sampleRateHz;
    if (clipSeconds < 1) return { code: 'clip-too-short' };
    matches = clipSeconds >= 4 && silentPeak(audio.samples) > 1e-3;
  } else {
    clipSeconds = audio.bytes.length / 44_100;
    matches = !/unknown/i.test(audio.fileName) && tracks.length > 0;
  }
  const track = tracks[1] ?? tracks[0];
  const exact =
    matches && track && request.mode !== 'vibe' ? [{ track, confidence: 0.93, offsetSeconds: 60.2, alignedHashes: 48, speedFactor: 1, pitchFactor: 1 }] : [];
  // The vibe lane answers for any audible clip, known or not: the other tracks, most similar first.
  const vibe =
    request.mode !== 'exact' && (audio.kind === 'file' || silentPeak(audio.samples) > 1e-3)
      ? tracks
          .filter((t) => t.id !== exact[0]?.track.id)
          .slice(0, Math.min(request.maxResults, 5))
          .map((t, i) => fakeVibeMatch(t, i))
      : [];
  return { durationMs: 12, clipSeconds, exact, vibe, modeUsed: request.mode };
}

export function fakeVibeMatch(track: TrackSummary, rank: number): VibeMatch {
  return {
    track,
    similarity: 0.86 - rank * 0.07,
    embeddingModel: 'builtin-descriptors-v2',
    explanation: rank % 2 ? 'similar tempo, same key area' : 'similar timbre',
  };
}

/** The default cover script: no track has one. */
export const noFakeArtwork = (): Artwork | null => null;
