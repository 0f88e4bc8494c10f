// Messages of the fingerprint worker: paths go in; hashes, tags and fingerprints (typed arrays, transferred) come back.
import type { FileFingerprint } from '../engine/jobs/fingerprintFile.js';
import type { FileProbe } from '../engine/jobs/probeFile.js';

export type FingerprintRequest =
  | { readonly kind: 'probe'; readonly filePath: string }
  | { readonly kind: 'fingerprint'; readonly filePath: string };

export type FingerprintResponse =
  | { readonly kind: 'probe'; readonly probe: FileProbe }
  | { readonly kind: 'fingerprint'; readonly fingerprint: FileFingerprint };
