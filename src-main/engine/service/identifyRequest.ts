// One identify request as the contract sends it: PCM at the page's rate (resampled to the fingerprint rate, after
// its length is checked) or encoded file bytes, in the lanes the request's mode asks for. Async; the work runs in
// the LibraryEngine.
import type { IdentifyRequest } from '../../../src-preload/contract/api.js';
import type { IdentifyResult } from '../../../src-preload/contract/library.js';
import { pcmClip } from '../audio/clipAudio.js';
import { resamplePcm } from '../audio/resample.js';
import { checkClipLength } from '../jobs/identifyClip.js';
import type { LibraryEngine } from '../libraryEngine.js';

/** signal: aborting stops the work and the call rejects with 'cancelled'. */
export async function identifyRequest(library: LibraryEngine, request: IdentifyRequest, signal: AbortSignal | undefined): Promise<IdentifyResult> {
  const started = performance.now();
  const options = { maxResults: request.maxResults, mode: request.mode, ...(signal ? { signal } : {}) };
  if (request.audio.kind !== 'pcm') return library.identifyBytes(request.audio.bytes, options);
  const { samples, sampleRateHz } = request.audio;
  // Refused before resampling: hours of PCM must not be resampled only to be turned down.
  checkClipLength(samples.length, sampleRateHz);
  const rateHz = library.config.sampleRateHz;
  const pcm = sampleRateHz === rateHz ? samples : resamplePcm(samples, sampleRateHz, rateHz);
  // The vibe lane reads the clip as it came, at its own model's rate (a 48 kHz model must not get the 8 kHz copy).
  return library.identify(pcm, { ...options, clip: pcmClip(samples, sampleRateHz) }, started);
}
