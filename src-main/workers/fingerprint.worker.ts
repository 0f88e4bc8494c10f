// Worker entry: probes (SHA-256 + tags) and fingerprints (ffmpeg decode + DSP) library files, searches parts of long
// recordings for their tracklists and helps a clip search with its hypotheses (the library opened read-only), and prepares the vibe
// model's rows from the same decode (features, not vectors: the model's one session lives with the vibe lane, on the
// library's thread, so N workers never hold N copies of it). Thin: the work is in engine/jobs; one bad file answers
// with a typed error and the worker carries on.
import { embedInputOfFile, fingerprintFile } from '../engine/jobs/fingerprintFile.js';
import { probeFile } from '../engine/jobs/probeFile.js';
import { helpSearch } from '../engine/jobs/searchHelp.js';
import { tracklistPart } from '../engine/jobs/tracklistParts.js';
import type { FingerprintRequest, FingerprintResponse } from './fingerprintProtocol.js';
import { serveWorker } from './workerHost.js';

serveWorker<FingerprintRequest, FingerprintResponse>(async (req, ctx) => {
  if (req.kind === 'probe') {
    return { result: { kind: 'probe', probe: await probeFile(req.filePath, ctx.signal) } };
  }
  if (req.kind === 'tracklistPart') {
    return { result: { kind: 'tracklistPart', part: await tracklistPart(req.part, ctx.signal, ctx.progress) } };
  }
  if (req.kind === 'searchHelp') {
    return { result: { kind: 'searchHelp', help: await helpSearch(req.help, ctx.signal) } };
  }
  if (req.kind === 'embed') {
    const prepared = await embedInputOfFile(req.filePath, { signal: ctx.signal, embedWith: req.embedderManifest });
    const transfer = prepared.embedInput ? [prepared.embedInput.data.buffer as ArrayBuffer] : [];
    return { result: { kind: 'embed', embedding: prepared }, transfer };
  }
  const fingerprint = await fingerprintFile(req.filePath, { signal: ctx.signal, embedWith: req.embedderManifest, maxSeconds: req.maxSeconds });
  const transfer = [fingerprint.landmarks.buffer as ArrayBuffer, fingerprint.peaks.buffer as ArrayBuffer];
  if (fingerprint.embedInput) transfer.push(fingerprint.embedInput.data.buffer as ArrayBuffer);
  return { result: { kind: 'fingerprint', fingerprint }, transfer };
});
