// A candidate heard against its track's own audio (the audio check of the decision rule, audioCheck.ts), given the
// clip's PCM and a way to read the track's: the track is read from a second before where the clip starts in it to a
// second after it ends. Shared by identify (one clip) and the stream matcher's driver (a window of a long recording).
import { checkAudio, type AudioCheck } from './audioCheck.js';
import { frameSeconds, type FingerprintConfig } from './config.js';
import type { Hypothesis } from './landmarks.js';
import { computeSpectrogram, createSpectrumScratch, type Spectrogram } from './spectrum.js';
import { bandAsymmetries, directionAgreement, meanAsymmetry } from './timeDirection.js';

/** Track audio decoded around the candidate's span, this much each side. */
export const CHECK_MARGIN_SECONDS = 1;

/** Mono PCM at config.sampleRateHz of `seconds` of the track from `startSeconds`. */
export type TrackAudioReader = (startSeconds: number, seconds: number) => Promise<Float32Array>;

export interface CheckedCandidate extends Hypothesis {
  /** Track frame at the clip's frame 0. */
  readonly offsetFrames: number;
}

/**
 * The audio check of `candidate` for a clip, or undefined when the track's audio cannot be read (the votes decide).
 * `clipSpectrogram` may be passed when the caller checks several candidates of one clip. With `direction`, it also
 * says which way the clip and the track's audio under it run in time (a stream's rule asks; clips' does not).
 */
export async function checkCandidateAudio(
  clipPcm: Float32Array,
  candidate: CheckedCandidate,
  readTrack: TrackAudioReader,
  config: FingerprintConfig,
  clipSpectrogram: Spectrogram = wholeSpectrogram(clipPcm, config),
  direction = false,
): Promise<AudioCheck | undefined> {
  const clipSeconds = clipPcm.length / config.sampleRateHz;
  const offsetSeconds = candidate.offsetFrames * frameSeconds(config);
  const start = Math.max(0, offsetSeconds - CHECK_MARGIN_SECONDS);
  const trackPcm = await readTrack(start, clipSeconds * candidate.timeFactor + 2 * CHECK_MARGIN_SECONDS);
  const clipStartRow = (offsetSeconds - start) / frameSeconds(config);
  const check = checkAudio(clipSpectrogram, wholeSpectrogram(trackPcm, config), clipStartRow, candidate, config);
  if (!direction) return check;
  // The track's audio under the clip (its span at the candidate's speed), for which way each runs in time.
  const from = Math.round((offsetSeconds - start) * config.sampleRateHz);
  const under = trackPcm.subarray(from, from + Math.round(clipPcm.length * candidate.timeFactor));
  const clipBands = bandAsymmetries(clipPcm, config.sampleRateHz);
  const trackBands = bandAsymmetries(under, config.sampleRateHz);
  const agreement = directionAgreement(clipBands, trackBands);
  return {
    ...check,
    clipAsymmetry: meanAsymmetry(clipBands),
    trackAsymmetry: meanAsymmetry(trackBands),
    ...(agreement ? { directionT: agreement.t } : {}),
  };
}

/** The spectrogram of a whole signal, full frames only (frame i starts at sample i * hop, as the peaks' frames do). */
export function wholeSpectrogram(pcm: Float32Array, config: FingerprintConfig): Spectrogram {
  const frames = Math.max(0, Math.floor((pcm.length - config.fftSize) / config.hopSizeSamples) + 1);
  return computeSpectrogram(pcm, 0, 0, frames, config, createSpectrumScratch(config));
}
