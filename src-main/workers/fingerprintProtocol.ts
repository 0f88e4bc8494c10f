// Messages of the fingerprint worker: paths go in; hashes, tags and fingerprints (typed arrays, transferred) come back.
import type { FileEmbedInput, FileFingerprint } from '../engine/jobs/fingerprintFile.js';
import type { FileProbe } from '../engine/jobs/probeFile.js';
import type { SearchHelpRequest, SearchHelpResult } from '../engine/jobs/searchHelp.js';
import type { TracklistPartRequest, TracklistPartResult } from '../engine/jobs/tracklistParts.js';

export type FingerprintRequest =
  | { readonly kind: 'probe'; readonly filePath: string }
  /**
   * embedderManifest: also prepare the rows of the model this manifest describes (its session runs elsewhere);
   * maxSeconds: the per-file cap on decoded audio (file-too-large past it).
   */
  | { readonly kind: 'fingerprint'; readonly filePath: string; readonly embedderManifest?: string; readonly maxSeconds?: number }
  /** The model's rows alone (the track's fingerprint is current; the vibe model changed). */
  | { readonly kind: 'embed'; readonly filePath: string; readonly embedderManifest: string }
  /** One part of a long recording's tracklist (progress: TracklistPartProgress). */
  | { readonly kind: 'tracklistPart'; readonly part: TracklistPartRequest }
  /** A second core for one clip search's hypotheses (the share travels as shared memory). */
  | { readonly kind: 'searchHelp'; readonly help: SearchHelpRequest };

export type FingerprintResponse =
  | { readonly kind: 'probe'; readonly probe: FileProbe }
  | { readonly kind: 'fingerprint'; readonly fingerprint: FileFingerprint }
  | { readonly kind: 'embed'; readonly embedding: FileEmbedInput }
  | { readonly kind: 'tracklistPart'; readonly part: TracklistPartResult }
  | { readonly kind: 'searchHelp'; readonly help: SearchHelpResult };
