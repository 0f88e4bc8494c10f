// The stream matcher's recent audio (streamMatcher.ts): what the current window's audio check may still read.
/** Mono PCM kept from absolute sample `start` on; grows by doubling, drops what no later window reads. */
export class RecentPcm {
  private pcm = new Float32Array(0);
  private start = 0;
  private length = 0;

  keep(pcm: Float32Array): void {
    if (this.length + pcm.length > this.pcm.length) {
      const grown = new Float32Array(Math.max(this.length + pcm.length, this.pcm.length * 2, 8192));
      grown.set(this.pcm.subarray(0, this.length));
      this.pcm = grown;
    }
    this.pcm.set(pcm, this.length);
    this.length += pcm.length;
  }

  /** Drops the samples before absolute sample `keepFrom`. */
  forgetBefore(keepFrom: number): void {
    const drop = keepFrom - this.start;
    if (drop <= 0 || drop > this.length) return;
    this.pcm.copyWithin(0, drop, this.length);
    this.length -= drop;
    this.start = keepFrom;
  }

  /** A copy of absolute samples [from, from + count), cut to what is kept. */
  copy(from: number, count: number): Float32Array {
    const a = from - this.start;
    const b = Math.min(this.length, a + count);
    return this.pcm.slice(Math.max(0, a), Math.max(0, b));
  }
}
