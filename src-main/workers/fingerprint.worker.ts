// Worker entry: probes (SHA-256 + tags) and fingerprints (ffmpeg decode + DSP, and the embedding from the same
// decode) library files. Thin: the work is in engine/jobs; one bad file answers with a typed error and the worker
// carries on. Owns one ONNX session per embedder manifest it was asked for.
import type { OnnxEmbedder } from '../engine/embedding/onnxEmbedder.js';
import { embedFile, fingerprintFile } from '../engine/jobs/fingerprintFile.js';
import { probeFile } from '../engine/jobs/probeFile.js';
import type { FingerprintRequest, FingerprintResponse } from './fingerprintProtocol.js';
import { serveWorker } from './workerHost.js';

const embedders = new Map<string, Promise<OnnxEmbedder>>();

function embedderFor(manifestPath: string): Promise<OnnxEmbedder> {
  let e = embedders.get(manifestPath);
  if (!e) {
    e = import('../engine/embedding/onnxEmbedder.js').then((m) => m.OnnxEmbedder.load(manifestPath));
    embedders.set(manifestPath, e);
    // A model that failed to load (not yet downloaded, damaged) is tried again next time.
    e.catch(() => embedders.delete(manifestPath));
  }
  return e;
}

serveWorker<FingerprintRequest, FingerprintResponse>(async (req, ctx) => {
  if (req.kind === 'probe') {
    return { result: { kind: 'probe', probe: await probeFile(req.filePath, ctx.signal) } };
  }
  if (req.kind === 'embed') {
    const embedded = await embedFile(req.filePath, { signal: ctx.signal, embedder: () => embedderFor(req.embedderManifest) });
    const transfer = embedded.embedding ? [embedded.embedding.vector.buffer as ArrayBuffer, embedded.embedding.windowVectors.buffer as ArrayBuffer] : [];
    return { result: { kind: 'embed', embedding: embedded }, transfer };
  }
  const manifest = req.embedderManifest;
  const fingerprint = await fingerprintFile(req.filePath, { signal: ctx.signal, embedder: manifest ? () => embedderFor(manifest) : undefined, maxSeconds: req.maxSeconds });
  const transfer = [fingerprint.landmarks.buffer as ArrayBuffer, fingerprint.peaks.buffer as ArrayBuffer];
  if (fingerprint.embedding) transfer.push(fingerprint.embedding.vector.buffer as ArrayBuffer, fingerprint.embedding.windowVectors.buffer as ArrayBuffer);
  return { result: { kind: 'fingerprint', fingerprint }, transfer };
});
