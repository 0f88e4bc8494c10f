// Messages of the fingerprint worker: paths go in; hashes, tags and fingerprints (typed arrays, transferred) come back.
import type { FileFingerprint } from '../engine/jobs/fingerprintFile.js';
import type { FileProbe } from '../engine/jobs/probeFile.js';

export type FingerprintRequest =
  | { readonly kind: 'probe'; readonly filePath: string }
  /** embedderManifest: also embed the file with the model this manifest describes (one session per worker). */
  | { readonly kind: 'fingerprint'; readonly filePath: string; readonly embedderManifest?: string };

export type FingerprintResponse =
  | { readonly kind: 'probe'; readonly probe: FileProbe }
  | { readonly kind: 'fingerprint'; readonly fingerprint: FileFingerprint };
