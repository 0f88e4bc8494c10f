// Worker entry: probes (SHA-256 + tags) and fingerprints (ffmpeg decode + DSP) library files. Thin: the work is in
// engine/jobs; one bad file answers with a typed error and the worker carries on.
import { fingerprintFile } from '../engine/jobs/fingerprintFile.js';
import { probeFile } from '../engine/jobs/probeFile.js';
import type { FingerprintRequest, FingerprintResponse } from './fingerprintProtocol.js';
import { serveWorker } from './workerHost.js';

serveWorker<FingerprintRequest, FingerprintResponse>(async (req, ctx) => {
  if (req.kind === 'probe') {
    return { result: { kind: 'probe', probe: await probeFile(req.filePath, ctx.signal) } };
  }
  const fingerprint = await fingerprintFile(req.filePath, { signal: ctx.signal });
  return {
    result: { kind: 'fingerprint', fingerprint },
    transfer: [fingerprint.landmarks.buffer as ArrayBuffer, fingerprint.peaks.buffer as ArrayBuffer],
  };
});
