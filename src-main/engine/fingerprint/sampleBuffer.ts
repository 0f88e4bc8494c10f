// Audio kept while it streams through (PeakStream's spectrogram input, the stream matcher's audio for checks): the
// samples from an absolute position on, grown by doubling, the oldest dropped once nothing reads them again.
export class SampleBuffer {
  private data = new Float32Array(0);
  private first = 0;
  private length = 0;

  /** Absolute index of the first sample kept. */
  get start(): number {
    return this.first;
  }

  /** The samples kept (a view: valid until the next keep or forgetBefore). */
  get samples(): Float32Array {
    return this.data.subarray(0, this.length);
  }

  keep(pcm: Float32Array): void {
    if (this.length + pcm.length > this.data.length) {
      const grown = new Float32Array(Math.max(this.length + pcm.length, this.data.length * 2, 8192));
      grown.set(this.data.subarray(0, this.length));
      this.data = grown;
    }
    this.data.set(pcm, this.length);
    this.length += pcm.length;
  }

  /** Drops the samples before absolute sample `keepFrom`. */
  forgetBefore(keepFrom: number): void {
    const drop = keepFrom - this.first;
    if (drop <= 0 || drop > this.length) return;
    this.data.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.first = keepFrom;
  }

  /** A copy of absolute samples [from, from + count), cut to what is kept. */
  copy(from: number, count: number): Float32Array {
    const a = from - this.first;
    const b = Math.min(this.length, a + count);
    return this.data.slice(Math.max(0, a), Math.max(0, b));
  }

  /** Gives the memory back (nothing more will be read). */
  release(): void {
    this.first += this.length;
    this.data = new Float32Array(0);
    this.length = 0;
  }
}
