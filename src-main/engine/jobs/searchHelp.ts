// Job: help one clip search on a second core (issue 11). The searching thread (identifyClip) and this helper, a
// fingerprint worker with the library's landmarks open read-only, take the speed/pitch hypotheses one at a time from a
// HypothesisShare (the search from the front of the grid, the helper from its back): screens first, then the few the
// search picks to vote on in full. The helper's job is posted when the search begins, so that its worker is awake and
// the landmarks open by the time the search's vote "as recorded" is done; it screens only once the search opens the
// grid (a clip that vote settles needs none), and returns as soon as the share says the search needs nothing more
// (settled, finished, cancelled). Screens' scores go back through the share, full votes with the job's answer. Each
// result is computed by the same functions the search uses alone (searchClip.ts), so the outcome does not depend on
// who computed what.
import path from 'node:path';
import type { FingerprintConfig } from '../fingerprint/config.js';
import type { DecisionRule } from '../fingerprint/decisionRule.js';
import { HypothesisShare } from '../fingerprint/hypothesisShare.js';
import type { LookupFn, TrackVote } from '../fingerprint/matcher.js';
import type { Peak } from '../fingerprint/peaks.js';
import { hypothesisVotes, screenedHypotheses, screenPeaksOf, screenScore } from '../fingerprint/searchClip.js';
import { openLmdbLandmarkStore } from '../landmarkStore/lmdbLandmarkStore.js';

/** What a helper needs: where the landmarks are, the search's terms and the clip's peaks. Structured-cloneable. */
export interface SearchHelpRequest {
  /** The library's data folder (landmarks/ in it), opened read-only. */
  readonly dataDir: string;
  readonly config: FingerprintConfig;
  readonly rule: DecisionRule;
  /** The clip's peaks, exactly: frame, pitch, prominenceDb per peak. */
  readonly peaks: Float64Array;
  /** HypothesisShare.buffer of the search. */
  readonly share: SharedArrayBuffer;
}

export interface SearchHelpResult {
  /** Screens this helper computed (their scores went back through the share). */
  readonly screened: number;
  /** The full votes this helper computed, by refine slot. */
  readonly refines: { readonly slot: number; readonly votes: TrackVote[] }[];
}

/** Runs a helper somewhere else (a fingerprint worker). */
export type SearchHelper = (request: Omit<SearchHelpRequest, 'dataDir'>, signal: AbortSignal) => Promise<SearchHelpResult>;

/** Peaks as SearchHelpRequest carries them. */
export function peaksToFloats(peaks: readonly Peak[]): Float64Array {
  const out = new Float64Array(peaks.length * 3);
  peaks.forEach((p, i) => out.set([p.frame, p.pitch, p.prominenceDb], 3 * i));
  return out;
}

export function peaksFromFloats(floats: Float64Array): Peak[] {
  const peaks: Peak[] = [];
  for (let i = 0; i + 2 < floats.length; i += 3) peaks.push({ frame: floats[i], pitch: floats[i + 1], prominenceDb: floats[i + 2] });
  return peaks;
}

const STOPPED = new Error('the search needs nothing more');

/** How long the helper blocks between looks at the share while it waits for the search to pick its full votes. */
const WAIT_SLICE_MS = 20;

/**
 * The helper's work on one search, on the calling thread, given a lookup: `step` does one claimed screen or full vote,
 * or says why it cannot (nothing left to claim now, or the search is done). Blocking waits are the caller's
 * (helpSearch), so that a test can interleave a helper with the search on one thread.
 */
export class SearchHelpWork {
  private readonly share: HypothesisShare;
  private readonly hypotheses;
  private screenPeaks: Peak[] | undefined;
  readonly refines: { slot: number; votes: TrackVote[] }[] = [];
  screened = 0;

  constructor(
    private readonly peaks: readonly Peak[],
    private readonly config: FingerprintConfig,
    private readonly rule: DecisionRule,
    private readonly lookup: LookupFn,
    share: HypothesisShare,
  ) {
    this.share = share;
    this.hypotheses = screenedHypotheses(rule);
  }

  /** 'worked': did a screen or a full vote; 'idle': nothing to claim until the search publishes its full votes; 'done'. */
  step(): 'worked' | 'idle' | 'done' {
    const { share } = this;
    if (share.stopped) return 'done';
    let lookups = 0;
    const counting: LookupFn = (h) => {
      lookups++;
      return this.lookup(h);
    };
    // The search's vote as recorded settles most clips: screening beside it would only compete for the memory both
    // read, so the helper waits (its worker woken and the landmarks open) until the search opens the grid.
    if (!share.gridOpen) return 'idle';
    const screen = share.claimScreenFromBack();
    if (screen >= 0) {
      this.screenPeaks ??= screenPeaksOf(this.peaks, this.config, this.rule);
      const score = screenScore(this.screenPeaks, this.config, this.hypotheses[screen], this.rule, counting);
      share.addHelperLookups(lookups);
      share.setScore(screen, score);
      this.screened++;
      return 'worked';
    }
    const chosen = share.refines();
    if (chosen === null) return 'idle';
    const slot = share.claimRefine();
    if (slot < 0) return 'done';
    const votes = hypothesisVotes(this.peaks, this.config, this.hypotheses[chosen[slot]], this.rule, counting);
    share.addHelperLookups(lookups);
    this.refines.push({ slot, votes });
    return 'worked';
  }
}

/**
 * Helps one search until it needs nothing more. Blocks its thread while it waits for the search to pick its full
 * votes (a worker's): at most WAIT_SLICE_MS past the share's stop, or the signal's.
 */
export async function helpSearch(request: SearchHelpRequest, signal?: AbortSignal): Promise<SearchHelpResult> {
  const share = new HypothesisShare(request.share);
  share.markHelperStarted();
  if (share.stopped || signal?.aborted) return { screened: 0, refines: [] };
  const store = await openLmdbLandmarkStore(path.join(request.dataDir, 'landmarks'), { readOnly: true });
  try {
    // A hypothesis looks many keys up that another already read (their tolerances overlap): each is read once. A
    // search that stops (it has ended: a clip settled as recorded) stops the vote under way within a few lookups, so
    // that this worker is free for the next search at once (voteOffsets leaves no state behind a throwing lookup).
    const postings = new Map<number, Uint32Array>();
    let reads = 0;
    const lookup: LookupFn = (h) => {
      if ((++reads & 127) === 0 && share.stopped) throw STOPPED;
      let p = postings.get(h);
      if (p === undefined) postings.set(h, (p = store.lookup(h)));
      return p;
    };
    const work = new SearchHelpWork(peaksFromFloats(request.peaks), request.config, request.rule, lookup, share);
    try {
      for (;;) {
        if (signal?.aborted) break;
        const seen = share.version;
        const step = work.step();
        if (step === 'done') break;
        if (step === 'idle') share.waitSync(seen, WAIT_SLICE_MS);
      }
    } catch (err) {
      if (err !== STOPPED) throw err;
    }
    return { screened: work.screened, refines: work.refines };
  } finally {
    await store.close();
  }
}
