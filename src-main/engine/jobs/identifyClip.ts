// Job: a clip (PCM at the fingerprint rate) -> exact matches with catalog details. Query DSP is ~10 ms per 10 s
// of clip, so it runs on the caller's thread; the store lookups are synchronous LMDB reads.
import type { ExactMatch, IdentifyResult } from '../../../src-preload/contract/library.js';
import { toTrackSummary, type Catalog } from '../catalog/catalog.js';
import { AppError } from '../errors.js';
import { frameSeconds, type FingerprintConfig } from '../fingerprint/config.js';
import { extractSignalPeaks } from '../fingerprint/fingerprintAudio.js';
import { unpackPeaks } from '../fingerprint/peakCodec.js';
import { DEFAULT_DECISION_RULE, searchPeaks, type DecisionRule, type SearchOutcome } from '../fingerprint/searchClip.js';
import type { LandmarkStore } from '../landmarkStore/landmarkStore.js';

/** Shorter clips are refused: too few landmarks to tell songs apart. */
export const MIN_CLIP_SECONDS = 1;

export interface IdentifyDeps {
  readonly catalog: Catalog;
  readonly store: LandmarkStore;
  readonly config: FingerprintConfig;
  readonly rule?: DecisionRule;
}

export function identifyPcm(deps: IdentifyDeps, pcm: Float32Array, maxResults: number, startedAt = performance.now()): IdentifyResult {
  return searchPcm(deps, pcm, maxResults, startedAt).result;
}

/** identifyPcm plus the raw search outcome (best vote whatever the rule said, background), for calibration. */
export function searchPcm(
  deps: IdentifyDeps,
  pcm: Float32Array,
  maxResults: number,
  startedAt = performance.now(),
): { result: IdentifyResult; outcome: SearchOutcome } {
  const { config } = deps;
  const clipSeconds = pcm.length / config.sampleRateHz;
  if (clipSeconds < MIN_CLIP_SECONDS) {
    throw new AppError('clip-too-short', `the clip is ${clipSeconds.toFixed(2)} s long; at least ${MIN_CLIP_SECONDS} s is needed`);
  }
  const peaks = extractSignalPeaks(pcm, config, 'query');
  const outcome = searchPeaks(peaks, config, (h) => deps.store.lookup(h), deps.rule ?? DEFAULT_DECISION_RULE, maxResults, (num) =>
    unpackPeaks(deps.store.getPeaks(num)),
  );
  const rows = deps.catalog.getTracksByNums(outcome.matches.map((m) => m.trackNum));
  const exact: ExactMatch[] = [];
  for (const m of outcome.matches) {
    const row = rows.get(m.trackNum);
    if (!row) continue; // a store entry the catalog no longer has (repaired at the next start-up)
    exact.push({
      track: toTrackSummary(row),
      confidence: round(m.confidence, 3),
      offsetSeconds: round(m.offsetFrames * frameSeconds(config), 3),
      alignedHashes: m.alignedCount,
      speedFactor: m.timeFactor,
      pitchFactor: m.pitchFactor,
    });
  }
  return { result: { durationMs: Math.round(performance.now() - startedAt), clipSeconds: round(clipSeconds, 3), exact, vibe: [], modeUsed: 'exact' }, outcome };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
