// bench:mix's negatives: is a song named in audio "not in the library" the library's very recording? A held-out track
// can hold seconds of a library track verbatim (game soundtracks reuse their own stems and stingers: seed 18's
// held-out Warzone *Track9* plays 6 s of the library's *Track8*, waveform r = 0.605 where it was named). Naming it
// there is the matcher finding what the library holds, not a false match; this tells the two apart by the waveforms
// themselves, which no arrangement, rendering or room shares (another mix of the same theme: r < 0.1), and lists such
// names apart instead of counting them either way unseen. Bench only.
import { decodeAudio } from '../src-main/engine/audio/decodeAudio.js';

/** Waveform correlation at or above which the named stretch is the library recording itself. */
export const VERBATIM_MIN_R = 0.5;

/** Decode rate: the waveform below 4 kHz is enough to tell one rendering from another. */
const RATE = 8000;

/** A stretch is judged by its best block of this many seconds: a named stretch may begin or end a window off the copy. */
export const VERBATIM_BLOCK_SECONDS = 3;

/**
 * The largest normalised correlation of `a` with `b` at `b`'s lags minLag..maxLag (a.length + maxLag <= b.length),
 * each lag's correlation over the whole of `a` (means removed). Naive: a few seconds by a few thousand lags.
 */
export function bestLagCorrelation(a: Float32Array, b: Float32Array, maxLag: number, minLag = 0): { r: number; lag: number } {
  const n = a.length;
  let meanA = 0;
  for (let i = 0; i < n; i++) meanA += a[i];
  meanA /= n;
  let saa = 0;
  for (let i = 0; i < n; i++) saa += (a[i] - meanA) ** 2;
  let best = { r: 0, lag: 0 };
  if (saa === 0) return best;
  for (let lag = Math.max(0, minLag); lag <= maxLag && lag + n <= b.length; lag++) {
    let sb = 0;
    let sbb = 0;
    let sab = 0;
    for (let i = 0; i < n; i++) {
      const y = b[lag + i];
      sb += y;
      sbb += y * y;
      sab += (a[i] - meanA) * y;
    }
    const varB = sbb - (sb * sb) / n;
    if (varB <= 0) continue;
    const r = sab / Math.sqrt(saa * varB);
    if (r > best.r) best = { r, lag };
  }
  return best;
}

/**
 * The best correlation of any `block`-sample block of `stretch` (starting every `hop` samples) with `track` played as
 * recorded, each block searched +-reach samples around where the match puts it: `track` index `at + i * speed` for
 * stretch sample i. Compared as recorded whatever the named speed: over 3 s a copy off by one grid step (1 %) drifts
 * 30 ms from its track, far past a waveform's period, so music truly played at another speed reads nothing here.
 */
export function bestBlockCorrelation(stretch: Float32Array, track: Float32Array, at: number, speed: number, block: number, hop: number, reach: number): number {
  let best = 0;
  const starts: number[] = [];
  for (let s = 0; s + block <= stretch.length; s += hop) starts.push(s);
  if (starts.length === 0 && stretch.length > 0) starts.push(0);
  for (const s of starts) {
    const a = stretch.subarray(s, Math.min(stretch.length, s + block));
    const centre = Math.round(at + s * speed);
    best = Math.max(best, bestLagCorrelation(a, track, centre + reach, centre - reach).r);
  }
  return best;
}

/**
 * The waveform correlation of a stream's stretch [start, end) (seconds) with the named track's audio where the
 * matcher put it (offsetSeconds at `start`, going on at speedFactor), judged by its best VERBATIM_BLOCK_SECONDS block,
 * each searched +-0.25 s around where the match puts it (the matcher's own offset is a frame or two off, a codec's
 * start a few ms, and a stretch named from a window before the copy begins or after it ends holds audio that is not).
 */
export async function verbatimAgreement(
  streamFile: string,
  start: number,
  end: number,
  trackFile: string,
  offsetSeconds: number,
  speedFactor: number,
): Promise<number> {
  if (end - start < 1) return 0;
  const reach = 0.25;
  const stretch = await decodeAudio(streamFile, { sampleRateHz: RATE, startSeconds: start, maxSeconds: end - start });
  const from = Math.max(0, offsetSeconds - reach);
  const track = await decodeAudio(trackFile, { sampleRateHz: RATE, startSeconds: from, maxSeconds: (end - start) * speedFactor + 2 * reach });
  const block = Math.min(stretch.length, VERBATIM_BLOCK_SECONDS * RATE);
  if (block < RATE) return 0;
  return bestBlockCorrelation(stretch, track, (offsetSeconds - from) * RATE, speedFactor, block, RATE / 2, Math.round(reach * RATE));
}
