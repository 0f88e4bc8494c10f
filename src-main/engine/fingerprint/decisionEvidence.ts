// The decision rule's vocabulary (decisionRule.ts decides): the evidence a caller brings, and the verdict with its reason.

/** What the peak-by-peak verification (verifyMatch.ts) says of a candidate. */
export interface PeakEvidence {
  readonly score: number;
  readonly matchedBinCount: number;
  /** How far the matched peaks stand above the same moments at other frequencies (Verification.shiftedScore). */
  readonly shiftedScore: number;
  /** The best verification score among the other verified tracks (those of the same recording excluded); 1 if none. */
  readonly othersScore: number;
}

/** What the audio check (audioCheck.ts) heard: an AudioCheck. */
export interface HeardEvidence {
  readonly judged: number;
  readonly shortfall: number;
  readonly contrast: number;
  /** Which way the clip and the track's audio under it run in time (timeDirection.ts; above 0 forwards), if measured. */
  readonly clipAsymmetry?: number;
  readonly trackAsymmetry?: number;
  /**
   * How the clip's bands follow the track's in which way they run (timeDirection.ts directionAgreement: the t of
   * the slope; far below 0, the clip runs against the track), if measured and the bands said anything.
   */
  readonly directionT?: number;
}

export type Evidence =
  /** A query clip before any search: how many distinct FFT bins its peaks occupy. */
  | { readonly kind: 'clip'; readonly distinctBins: number }
  /** A candidate track after the vote: its aligned votes, the background's, and its peak verification if made. */
  | { readonly kind: 'votes'; readonly aligned: number; readonly background: number; readonly peaks?: PeakEvidence }
  /** A candidate the votes accepted (with `confidence`), and its audio check if one was made. */
  | {
      readonly kind: 'heard-match';
      readonly aligned: number;
      /** The votes it was judged against; with it, a match the peak test's weak tier accepted is known as such. */
      readonly background?: number;
      readonly confidence: number;
      readonly peaks?: PeakEvidence;
      readonly check?: HeardEvidence;
      /**
       * A stream song continued at one of its loop's other repeats (decisionRule loopToothShare), not only where the
       * audio predicts: it must be heard, and heard as strictly as a rescue.
       */
      readonly loopRepeat?: boolean;
      /**
       * Which way the audio it was heard in runs in time (timeDirection.ts), measured before any check (a stream's
       * window): a clip that runs backwards is heard against the track (decisionRule backwardsAsymmetry).
       */
      readonly clipAsymmetry?: number;
      /** A stream's match to a track it refused as backwards not long before (decisionRule backwardsClearT). */
      readonly suspectBackwards?: boolean;
      /**
       * A stream song no window of which passed the clip rule, found by its sightings instead (decisionRule
       * sightingMinWindows): it must be heard, with a verdict.
       */
      readonly sighted?: boolean;
      /**
       * A stream song whose track was heard falling just short at other alignments not long before (StreamMatcher's
       * track record): music sharing the track's material is playing, which votes as well as the track. It must be
       * heard, with a verdict, however many votes it has.
       */
      readonly sharedMaterial?: boolean;
    }
  /**
   * A song the stream matcher follows: the windows in a row that agreed on it (its offset advancing with the audio),
   * how many of them passed the clip rule, and how many of those had a sharp offset peak (isSharpPeak).
   */
  | {
      readonly kind: 'stream-song';
      readonly windows: number;
      readonly acceptedWindows: number;
      readonly sharpWindows: number;
      readonly confidence: number;
      /** The largest share of a window's best vote (any track, any hypothesis) the song had in its windows (0..1). */
      readonly share: number;
      /**
       * Windows whose full search verified it, at the position the audio predicts, without the clip rule accepting it
       * (its sightings before it was followed: decisionRule sightingMinWindows); absent or 0 for a song an accepted
       * window began.
       */
      readonly sightings?: number;
    }
  /** The best candidate when the votes accepted none, and its audio check if one was made (the rescue). */
  | {
      readonly kind: 'heard-near-miss';
      readonly aligned: number;
      readonly background: number;
      readonly matchedBinCount?: number;
      readonly peaks?: PeakEvidence;
      readonly shiftedScore?: number;
      readonly check?: HeardEvidence;
    };

export type DecisionReason =
  | 'searchable' // clip: enough distinct bins to search
  | 'one-sound' // clip or candidate: too few distinct bins (a tone, silence; a tone on a held note)
  | 'same-moments' // candidate: its peaks meet the track's no more than at any frequency at those instants (a shared beat)
  | 'votes' // accepted: clears minAligned and minRatio
  | 'peaks' // accepted: short of minRatio but its peaks verify clearly (the peak test)
  | 'weak' // refused: clears neither
  | 'overwhelming' // a match with enough votes that no audio check is needed
  | 'unheard' // no audio check with a verdict (yet): the votes decide
  | 'heard' // the audio check confirms the match
  | 'falls-short' // the audio check drops the match: part of the track is missing from the clip
  | 'backwards' // the audio check drops the match: the clip is the track's audio played backwards
  | 'rescued' // the audio check accepts a near miss: the whole track is there
  | 'corroborated' // the peak test and the audio check both single the track out (a room's clutter hides the votes)
  | 'not-rescued' // a near miss that the bars or its audio check leave refused
  | 'windows' // stream song: enough windows agree on it
  | 'ridge' // stream song: its offset peaks are a held sound's ridge or comb, and too few windows advance with the audio
  | 'overheard'; // stream song: heard only under another song, with a small part of its votes, in every window

export interface Decision {
  readonly verdict: 'accept' | 'refuse';
  /** 0..1; 0 when refused (and for a clip, which is searched or not). */
  readonly confidence: number;
  readonly reason: DecisionReason;
  /** Whether an audio check (one with a verdict) could change this decision: decide again with it. */
  readonly wantsCheck: boolean;
}
