// Job: keep listening. Audio arrives a second or so at a time (the page's microphone, downsampled to the fingerprint
// rate in its audio worklet) and goes straight into a stream matcher over the library (TracklistRun: peaks and votes
// carry over between pushes; each new second costs one second of work). After each push the session answers what
// it hears now (the song, where in it, how fast, how sure) and its log: every song heard, consecutive detections of
// one song as one entry (the matcher follows a song window to window; a piece of the same file found at another
// position without a break, a loop's repeat, joins its entry), and the stretches between that are not in
// the library. A song is announced once, when the matcher confirms it (onSong), not on every push. Two library files
// of one recording are both followed by the matcher; the one it confirms second names the first (sameAs) and joins
// its entry, listed beside the file named (sameRecording), so the song is logged and announced once.
import type { ListenLogEntry, ListenPlaying, ListenState } from '../../../src-preload/contract/api.js';
import type { TrackSummary } from '../../../src-preload/contract/library.js';
import { toTrackSummary } from '../catalog/catalog.js';
import { frameSeconds } from '../fingerprint/config.js';
import { DEFAULT_DECISION_RULE, STREAM_DECISION_RULE } from '../fingerprint/decisionRule.js';
import { DEFAULT_STREAM_OPTIONS, type StreamEvent, type StreamMatchOptions, type StreamSegment } from '../fingerprint/streamMatcher.js';
import type { IdentifyDeps } from './identifyClip.js';
import { playsOn } from '../fingerprint/streamSegments.js';
import { TracklistRun } from './tracklistRun.js';

/**
 * Frames per peak-computing block for live audio: one density block (peaks.ts thins peaks per block of 32 frames, so
 * a frame's peaks are final only once its block is whole): a window is searched as soon as its last block is, at most
 * ~0.5 s after its audio arrived (the matcher's default, 2048 frames, is ~33 s at 8 kHz; 64 frames held windows back
 * by up to a second more).
 */
export const LISTEN_PEAK_WINDOW_FRAMES = 32;

/**
 * Keep listening's windows: 4 s of audio every second, a song named from one window that passes the clip rule (and
 * its audio check, sharpness and share: decisionRule.ts), its position then followed window by window. A new song
 * shows as soon as a window holds ~3 s of it: a median 4.2-4.9 s after it began (bench:mix --listen-delay, the audio
 * pushed in the capture worklet's 256 ms chunks as the app pushes it; 5 s a second at a time), where 6 s windows every
 * 2 s, two of them agreeing, took 9 s. A second agreeing window would add little: windows a second
 * apart share 3 of their 4 s, and over 4 h of negatives they named no fewer wrong songs (10 against 8). A song
 * missing from 4 windows in a row (~5 s) has stopped.
 */
export const LISTEN_STREAM_OPTIONS: Partial<StreamMatchOptions> = Object.freeze({
  windowSeconds: 4,
  hopSeconds: 1,
  minWindows: 1,
  maxMissedWindows: 4,
  // Named from one window: a song not named yet has no windows to lose (measured on tracklists' 10 s windows only).
  pendingMissedWindows: 0,
  // A song named from one window is checked on it, and the check answered before the next second: its verdict at once.
  checkLagWindows: 0,
  // One check per song, at its own speed, and a song with the clip rule's 60 votes named unheard. Hearing every song as
  // tracklists do (their values for these three) was measured here in session 31 and not kept: a check of a 4 s window
  // judges too few peaks to refuse music sharing a track's material (8 false matches in 9.3 h of the seed-18
  // negatives; session 29's values named 5 in 10 h), and strong songs were announced 1-3 s later (README, session 31).
  maxSongChecks: 1,
  checkTempoSteps: 0,
  // A track found short at one alignment after another (music sharing its material) is judged on those checks together
  // with the new one (streamTypes.ts trackRecordSeconds): two minutes, a piece's length.
  trackRecordSeconds: 120,
  // A check passing by less than one standard error of its judged peaks (a 4 s window: 150-300 of them, 1.6-2.3 points)
  // is heard again on the next 4 s, pooled, up to twice more; then the bar alone decides (streamTypes.ts undecidedChecks).
  undecidedChecks: 2,
  undecidedZ: 1,
  // A check leaning backwards (direction t at -2 or below; -4 refuses) is heard again too, the checks' t pooled.
  undecidedDirectionT: 2,
  // A song named unheard is first asked whether its track plays better at a turntable speed beyond the grid (to +-20 %).
  beyondRangeProbe: 0.2,
  // Nothing named from a fade's tail: a window 30 dB or more under the 30 s before it.
  fadeTailDb: 30,
  // A check with no verdict of a window running past its track's end does not leave the votes to name a song under the
  // clip rule's 60: it is heard again, up to twice, which a track that has ended cannot be (streamTypes.ts unheardChecks).
  unheardChecks: 2,
  peakWindowFrames: LISTEN_PEAK_WINDOW_FRAMES,
  // A song with no sharp window (a held sound's ridge, a loop's comb: decisionRule.ts) must agree over 6 windows in a
  // row, 9 s of audio. With 4 (7 s) a reversed library track's held chords were named (Ardentryst "Holy" in the
  // seed-12 negatives); with 8 (11 s, what 4 of the old 6 s windows 2 s apart spanned) looped modules, whose windows
  // land on one repeat or another and break the row, were named 20-40 s late or not at all (Biniax "Gargl").
  // Sightings (a song no single window names) are a tracklist's only: measured on 10 s windows 5 s apart, not on 4 s ones.
  rule: Object.freeze({ ...STREAM_DECISION_RULE, ridgeMinWindows: 6, sightingMinWindows: 0, auditBelowAligned: DEFAULT_DECISION_RULE.auditBelowAligned }),
});

/** One song the matcher followed in one library file. */
interface Piece {
  readonly trackNum: number;
  segment: StreamSegment;
  open: boolean;
}

/** One log entry: the first piece names it; the others are the same recording in other files (or the same file again). */
interface Song {
  readonly id: number;
  readonly pieces: Piece[];
}

const isOpen = (song: Song): boolean => song.pieces.some((p) => p.open);

export class ListenSession {
  private readonly run: TracklistRun;
  private readonly options: StreamMatchOptions;
  /** The matcher's offset tolerance, in frames: a piece starting this soon after another of its file ends plays on. */
  private readonly toleranceFrames: number;
  private readonly songs: Song[] = [];
  private readonly tracks = new Map<number, TrackSummary | null>();
  private nextId = 1;
  private samples = 0;
  private finished = false;
  private confirmed = 0;

  constructor(
    private readonly deps: IdentifyDeps,
    /** Called once per song, when it is confirmed (what History keeps, what a notification says). */
    private readonly onSong?: (entry: ListenLogEntry) => void,
    options: Partial<StreamMatchOptions> = LISTEN_STREAM_OPTIONS,
  ) {
    this.options = { ...DEFAULT_STREAM_OPTIONS, ...options };
    this.toleranceFrames = this.options.offsetToleranceSeconds / frameSeconds(deps.config);
    // Live audio cannot wait (push below waits for every check anyway): no backlog bar.
    this.run = new TracklistRun(deps, undefined, options, (event) => this.onEvent(event), Number.POSITIVE_INFINITY);
  }

  /** Songs the matcher confirmed (another file of a song heard not counted): announced, or joined to an entry. */
  get confirmations(): number {
    return this.confirmed;
  }

  get heardSeconds(): number {
    return this.samples / this.deps.config.sampleRateHz;
  }

  /** Adds new audio (mono, at the fingerprint rate); resolves once its windows (and their audio checks) are searched. */
  async push(pcm: Float32Array): Promise<Omit<ListenState, 'sessionId'>> {
    if (this.finished) throw new Error('ListenSession: push after stop');
    this.samples += pcm.length;
    void this.run.push(pcm); // never held here (no backlog bar): the checks are awaited below
    await this.run.settled();
    return this.state();
  }

  /** Searches what is left, closes every song; the final state. */
  async stop(): Promise<Omit<ListenState, 'sessionId'>> {
    if (!this.finished) {
      this.finished = true;
      await this.run.finish();
    }
    return this.state();
  }

  state(): Omit<ListenState, 'sessionId'> {
    const fs = frameSeconds(this.deps.config);
    const nowFrame = this.samples / this.deps.config.hopSizeSamples;
    // Open pieces take their latest extent from the matcher (a confirmed song's end moves on with each window).
    const playing = this.run.matcher.playing;
    for (const piece of this.songs.flatMap((song) => song.pieces)) {
      if (!piece.open) continue;
      const live = playing.find((p) => p.trackNum === piece.trackNum);
      if (live) piece.segment = live;
    }
    const log: ListenLogEntry[] = [];
    const songs = [...this.songs].sort((a, b) => a.pieces[0].segment.startFrame - b.pieces[0].segment.startFrame);
    let previousEnd = -Infinity;
    for (const song of songs) {
      const [named, ...more] = song.pieces;
      const track = this.track(named.trackNum);
      if (!track) continue;
      const s = named.segment;
      // The recording is heard as long as any of its files is.
      const endFrame = Math.max(...song.pieces.map((p) => p.segment.endFrame));
      // A crossfade (or a song heard under another): the later one starts where the earlier one was last heard.
      const startFrame = Math.max(s.startFrame, Math.min(previousEnd, endFrame));
      previousEnd = Math.max(previousEnd, endFrame);
      const others = [...new Set(more.map((p) => p.trackNum))].filter((n) => n !== named.trackNum).flatMap((n) => this.track(n) ?? []);
      log.push({
        id: song.id,
        startSeconds: round(startFrame * fs),
        endSeconds: round(endFrame * fs),
        track,
        offsetSeconds: round((s.trackStartFrame + (startFrame - s.startFrame) * s.timeFactor) * fs),
        speedFactor: s.timeFactor,
        confidence: round(s.confidence, 3),
        ongoing: isOpen(song),
        ...(others.length > 0 ? { sameRecording: others } : {}),
      });
    }
    // Stretches with no song, up to where the audio has been searched (the unsearched tail is not called unknown yet).
    const searchedSeconds = this.finished ? this.heardSeconds : this.searchedSeconds();
    const unknown: ListenLogEntry[] = [];
    let cursor = 0;
    for (const entry of log) {
      if (entry.startSeconds - cursor >= this.options.minUnknownSeconds) unknown.push(unknownEntry(cursor, entry.startSeconds));
      cursor = Math.max(cursor, entry.endSeconds);
    }
    if (searchedSeconds - cursor >= this.options.minUnknownSeconds) unknown.push(unknownEntry(cursor, searchedSeconds));
    const all = [...log, ...unknown].sort((a, b) => a.startSeconds - b.startSeconds || a.endSeconds - b.endSeconds);

    let now: ListenPlaying | null = null;
    // One file named: the entry's (its position from that file's alignment, also once another file of it is left).
    const current = songs.filter((s) => isOpen(s) && this.track(s.pieces[0].trackNum)).at(-1);
    if (current) {
      const s = current.pieces[0].segment;
      now = {
        track: this.track(current.pieces[0].trackNum)!,
        positionSeconds: round((s.trackStartFrame + (nowFrame - s.startFrame) * s.timeFactor) * fs),
        speedFactor: s.timeFactor,
        confidence: round(s.confidence, 3),
        entryId: current.id,
      };
    }
    return { heardSeconds: round(this.heardSeconds), playing: now, log: all };
  }

  /** The end of the last window searched: windows run every hop once a whole window of audio is in. */
  private searchedSeconds(): number {
    const windows = this.run.matcher.stats.windows;
    if (windows === 0) return 0;
    return Math.min(this.heardSeconds, (windows - 1) * this.options.hopSeconds + this.options.windowSeconds);
  }

  private track(trackNum: number): TrackSummary | null {
    if (!this.tracks.has(trackNum)) {
      const row = this.deps.catalog.getTracksByNums([trackNum]).get(trackNum);
      this.tracks.set(trackNum, row ? toTrackSummary(row) : null);
    }
    return this.tracks.get(trackNum) ?? null;
  }

  private onEvent(event: StreamEvent): void {
    const trackNum = event.segment.trackNum;
    if (event.type === 'song') {
      if (event.sameAs === undefined) this.confirmed++;
      const piece: Piece = { trackNum, segment: event.segment, open: true };
      // Another file of a song still heard (the same recording): that song's entry, not a new one, not announced again.
      const same = event.sameAs === undefined ? undefined : this.songs.findLast((s) => isOpen(s) && s.pieces.some((p) => p.trackNum === event.sameAs));
      // The same file heard on without a break, found at another position: a loop or a repeated section, where the
      // matcher follows each repeat it lands on as a new song. The same entry, not announced again (as a tracklist's
      // final list joins them: streamSegments.playsOn).
      const playingOn =
        same ??
        this.songs.findLast((s) => s.pieces.some((p) => p.trackNum === trackNum && (p.open || playsOn(p.segment, event.segment, this.toleranceFrames))));
      if (playingOn) {
        playingOn.pieces.push(piece);
        return;
      }
      const song: Song = { id: this.nextId++, pieces: [piece] };
      this.songs.push(song);
      const entry = this.state().log.find((e) => e.id === song.id);
      if (entry) this.onSong?.(entry);
      return;
    }
    // song-end: the open piece of that track (the earliest, should it be open twice) gets its final boundaries.
    const piece = this.songs.flatMap((s) => s.pieces).find((p) => p.open && p.trackNum === trackNum);
    if (piece) {
      piece.segment = event.segment;
      piece.open = false;
    }
  }
}

function unknownEntry(start: number, end: number): ListenLogEntry {
  return { id: 0, startSeconds: round(start), endSeconds: round(end), track: null, offsetSeconds: null, speedFactor: null, confidence: null, ongoing: false };
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
