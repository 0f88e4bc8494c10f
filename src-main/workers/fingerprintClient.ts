// Main-side client of the fingerprint workers: a pool (one worker per core by default) behind two verbs.
import type { FileEmbedInput, FileFingerprint } from '../engine/jobs/fingerprintFile.js';
import type { FileProbe } from '../engine/jobs/probeFile.js';
import { HypothesisShare } from '../engine/fingerprint/hypothesisShare.js';
import type { SearchHelpRequest, SearchHelpResult } from '../engine/jobs/searchHelp.js';
import type { TracklistPartProgress, TracklistPartRequest, TracklistPartResult } from '../engine/jobs/tracklistParts.js';
import type { FingerprintRequest, FingerprintResponse } from './fingerprintProtocol.js';
import { resolveWorkerScript, WorkerPool } from './workerPool.js';

export class FingerprintClient {
  private readonly pool: WorkerPool<FingerprintRequest, FingerprintResponse>;
  /** The searches the workers are helping now. */
  private readonly helping = new Set<HypothesisShare>();

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

  /**
   * Helps a clip search on an idle started worker; with none idle now, answers at once that it did nothing. Except
   * where a worker is finishing the help of a search that has ended (searches back to back: it returns within a vote's
   * few lookups): the job then waits for it (the search drops it if it never starts).
   */
  async searchHelp(help: SearchHelpRequest, signal?: AbortSignal): Promise<SearchHelpResult> {
    const req: FingerprintRequest = { kind: 'searchHelp', help };
    let job = this.pool.runIfIdle(req, { signal });
    const finishing = [...this.helping].some((share) => share.stopped);
    // Queued only where no worker would be started for it (all the pool's are alive), and nothing else waits.
    if (!job && finishing && this.pool.queuedCount === 0 && this.pool.workerCount >= this.pool.size) job = this.pool.run(req, { signal });
    if (!job) return { screened: 0, refines: [] };
    const share = new HypothesisShare(help.share);
    this.helping.add(share);
    const res = await job.finally(() => this.helping.delete(share));
    if (res.kind !== 'searchHelp') throw new Error('fingerprint worker answered a search help with ' + res.kind);
    return res.help;
  }

  /** Starts one worker now (if none is alive), so that searches find one idle to help them. */
  keepWarm(): void {
    this.pool.warm(1);
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
