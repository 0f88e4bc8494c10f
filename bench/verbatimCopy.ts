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

/**
 * The largest normalised correlation of `a` with `b` at `b`'s lags 0..maxLag (a.length + maxLag <= b.length), each
 * lag's correlation over the whole of `a` (means removed). Naive: a few seconds by a few hundred lags.
 */
export function bestLagCorrelation(a: Float32Array, b: Float32Array, maxLag: number): { r: number; lag: number } {
  const n = a.length;
  let meanA = 0;
  for (let i = 0; i < n; i++) meanA += a[i];
  meanA /= n;
  let saa = 0;
  for (let i = 0; i < n; i++) saa += (a[i] - meanA) ** 2;
  let best = { r: 0, lag: 0 };
  if (saa === 0) return best;
  for (let lag = 0; lag <= maxLag && lag + n <= b.length; lag++) {
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
 * The waveform correlation of a stream's stretch [start, end) (seconds) with the named track's audio where the
 * matcher put it (offsetSeconds at `start`), searched +-0.25 s around that (the matcher's own offset is a frame or two
 * off, and a codec's start a few ms). Only at the track's own speed (within 0.5 %): a stretch named at another speed is
 * another recording's rendering by construction, and reads 0 here (counted as a false match).
 */
export async function verbatimAgreement(
  streamFile: string,
  start: number,
  end: number,
  trackFile: string,
  offsetSeconds: number,
  speedFactor: number,
): Promise<number> {
  if (Math.abs(speedFactor - 1) > 0.005 || end - start < 1) return 0;
  const reach = 0.25;
  const stretch = await decodeAudio(streamFile, { sampleRateHz: RATE, startSeconds: start, maxSeconds: end - start });
  const from = Math.max(0, offsetSeconds - reach);
  const track = await decodeAudio(trackFile, { sampleRateHz: RATE, startSeconds: from, maxSeconds: end - start + 2 * reach });
  // The matcher's offset lies (offsetSeconds - from) into the decoded track; lags up to reach past it are searched.
  const maxLag = Math.round((offsetSeconds - from + reach) * RATE);
  const n = Math.min(stretch.length, track.length - maxLag);
  if (n < RATE) return 0;
  return bestLagCorrelation(stretch.subarray(0, n), track, maxLag).r;
}
