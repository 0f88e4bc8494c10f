// Main-side client of the fingerprint workers: a pool (one worker per core by default) behind two verbs.
import type { FileEmbedInput, FileFingerprint } from '../engine/jobs/fingerprintFile.js';
import type { FileProbe } from '../engine/jobs/probeFile.js';
import type { TracklistPartProgress, TracklistPartRequest, TracklistPartResult } from '../engine/jobs/tracklistParts.js';
import type { FingerprintRequest, FingerprintResponse } from './fingerprintProtocol.js';
import { resolveWorkerScript, WorkerPool } from './workerPool.js';

export class FingerprintClient {
  private readonly pool: WorkerPool<FingerprintRequest, FingerprintResponse>;

  constructor(size?: number) {
    const { url, execArgv } = resolveWorkerScript(import.meta.url, 'fingerprint.worker');
    this.pool = new WorkerPool<FingerprintRequest, FingerprintResponse>({ script: url, size, execArgv });
  }

  get size(): number {
    return this.pool.size;
  }

  async probe(filePath: string, signal?: AbortSignal): Promise<FileProbe> {
    const res = await this.pool.run({ kind: 'probe', filePath }, { signal });
    if (res.kind !== 'probe') throw new Error('fingerprint worker answered a probe with ' + res.kind);
    return res.probe;
  }

  async fingerprint(filePath: string, signal?: AbortSignal, embedderManifest?: string, maxSeconds?: number): Promise<FileFingerprint> {
    const res = await this.pool.run({ kind: 'fingerprint', filePath, embedderManifest, maxSeconds }, { signal });
    if (res.kind !== 'fingerprint') throw new Error('fingerprint worker answered a fingerprint with ' + res.kind);
    return res.fingerprint;
  }

  async embed(filePath: string, embedderManifest: string, signal?: AbortSignal): Promise<FileEmbedInput> {
    const res = await this.pool.run({ kind: 'embed', filePath, embedderManifest }, { signal });
    if (res.kind !== 'embed') throw new Error('fingerprint worker answered an embed with ' + res.kind);
    return res.embedding;
  }

  async tracklistPart(part: TracklistPartRequest, signal?: AbortSignal, onProgress?: (progress: TracklistPartProgress) => void): Promise<TracklistPartResult> {
    const res = await this.pool.run(
      { kind: 'tracklistPart', part },
      { signal, ...(onProgress ? { onProgress: (p) => onProgress(p as TracklistPartProgress) } : {}) },
    );
    if (res.kind !== 'tracklistPart') throw new Error('fingerprint worker answered a tracklist part with ' + res.kind);
    return res.part;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
