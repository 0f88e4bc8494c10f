// The stage order, written once: PCM -> spectrum -> peaks (max filter + local mean) -> landmarks.
// Streams: PCM arrives in chunks of any size and is processed in block-aligned windows of frames, so a 2-hour
// file never needs its whole spectrogram (or PCM) in memory. Pure computation; one instance per stream.
import type { FingerprintConfig } from './config.js';
import { createPeakScratch, extractPeaksFast, type Peak, type PeakScratch } from './peaks.js';
import { SampleBuffer } from './sampleBuffer.js';
import { computeSpectrogram, createSpectrumScratch, type SpectrumScratch } from './spectrum.js';

export type FingerprintRole = 'track' | 'query';

export interface PeakStreamOptions {
  /** Frames per processing window (rounded up to whole density blocks). Results do not depend on it. */
  readonly windowFrames?: number;
}

export class PeakStream {
  private readonly config: FingerprintConfig;
  private readonly peaksPerBlock: number;
  private readonly scratch: SpectrumScratch;
  private readonly peakScratch: PeakScratch = createPeakScratch();
  private readonly windowFrames: number;
  private readonly marginFrames: number;
  /** PCM the next window still reads. */
  private readonly buffer = new SampleBuffer();
  private totalSamples = 0;
  /** Next frame whose peaks are not yet computed. */
  private nextFrame = 0;
  private readonly peaks: Peak[] = [];

  constructor(config: FingerprintConfig, role: FingerprintRole, options: PeakStreamOptions = {}) {
    this.config = config;
    this.peaksPerBlock = role === 'track' ? config.trackPeaksPerBlock : config.queryPeaksPerBlock;
    this.scratch = createSpectrumScratch(config);
    const block = config.densityBlockFrames;
    this.windowFrames = Math.max(block, Math.ceil((options.windowFrames ?? 2048) / block) * block);
    this.marginFrames = Math.max(config.peakNeighbourhoodFrames, config.backgroundFrames);
  }

  /** Samples pushed so far. */
  get sampleCount(): number {
    return this.totalSamples;
  }

  push(pcm: Float32Array): void {
    this.buffer.keep(pcm);
    this.totalSamples += pcm.length;
    const { hopSizeSamples: hop, fftSize } = this.config;
    // A window [f0, f1) needs spectrogram rows up to f1 + margin, i.e. samples up to (f1 + margin) * hop + fftSize.
    while ((this.nextFrame + this.windowFrames + this.marginFrames) * hop + fftSize <= this.totalSamples) {
      this.processWindow(this.nextFrame + this.windowFrames);
    }
  }

  /** Frames before this one have all their peaks computed (drain() can hand them over). */
  get readyFrame(): number {
    return this.nextFrame;
  }

  /**
   * Hands over the peaks computed since the last drain (sorted by frame, then pitch) and forgets them, so a stream of
   * hours keeps only what its consumer keeps. finish() then returns only the peaks not yet drained.
   */
  drain(): Peak[] {
    return this.peaks.splice(0, this.peaks.length);
  }

  /** Processes what is left and returns all peaks not yet drained (sorted by frame, then pitch). */
  finish(): Peak[] {
    const frameCount = Math.ceil(this.totalSamples / this.config.hopSizeSamples);
    while (this.nextFrame < frameCount) this.processWindow(Math.min(frameCount, this.nextFrame + this.windowFrames));
    this.buffer.release();
    return this.peaks;
  }

  private processWindow(endFrame: number): void {
    const c = this.config;
    const firstRow = this.nextFrame - this.marginFrames;
    const rowCount = endFrame + this.marginFrames - firstRow;
    const spec = computeSpectrogram(this.buffer.samples, this.buffer.start, firstRow, rowCount, c, this.scratch);
    for (const p of extractPeaksFast(spec, c, this.peaksPerBlock, this.nextFrame, endFrame, this.peakScratch)) this.peaks.push(p);
    this.nextFrame = endFrame;
    // Drop samples no later window reads (its first row starts at nextFrame - margin).
    this.buffer.forgetBefore(Math.max(0, (this.nextFrame - this.marginFrames) * c.hopSizeSamples));
  }
}

/** Peaks of a whole signal (a clip, or a track already in memory). */
export function extractSignalPeaks(pcm: Float32Array, config: FingerprintConfig, role: FingerprintRole): Peak[] {
  const stream = new PeakStream(config, role);
  stream.push(pcm);
  return stream.finish();
}
