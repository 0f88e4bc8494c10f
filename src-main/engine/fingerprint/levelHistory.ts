// A stream's loudness over time, kept as the energy of consecutive blocks of samples: how loud a stretch was against
// the music just before it (StreamMatcher's fade-tail test). Memory is bounded: only the last `keepBlocks` blocks are kept.
// Pure.

export class LevelHistory {
  /** Sum of squares of each whole block, the oldest first; the block at index i starts at (firstBlock + i) * blockSize. */
  private energies: number[] = [];
  private firstBlock = 0;
  /** The block being filled: its sum of squares so far and how many samples it holds. */
  private partial = 0;
  private partialCount = 0;

  constructor(
    private readonly blockSize: number,
    private readonly keepBlocks: number,
  ) {
    if (!(blockSize >= 1) || !(keepBlocks >= 1)) throw new RangeError('LevelHistory: blockSize and keepBlocks must be >= 1');
  }

  push(pcm: Float32Array): void {
    for (let i = 0; i < pcm.length;) {
      const take = Math.min(this.blockSize - this.partialCount, pcm.length - i);
      let sum = 0;
      for (let j = i; j < i + take; j++) sum += pcm[j] * pcm[j];
      this.partial += sum;
      this.partialCount += take;
      i += take;
      if (this.partialCount === this.blockSize) {
        this.energies.push(this.partial);
        this.partial = 0;
        this.partialCount = 0;
      }
    }
    const drop = this.energies.length - this.keepBlocks;
    if (drop > 0) {
      this.energies.splice(0, drop);
      this.firstBlock += drop;
    }
  }

  /**
   * The RMS level in dB (full scale 1) of the whole blocks that lie inside samples [from, to), or null when none is
   * kept there (not heard yet, or let go).
   */
  levelDb(from: number, to: number): number | null {
    const first = Math.max(this.firstBlock, Math.ceil(from / this.blockSize));
    const last = Math.min(this.firstBlock + this.energies.length, Math.floor(to / this.blockSize)); // exclusive
    if (last <= first) return null;
    let sum = 0;
    for (let b = first; b < last; b++) sum += this.energies[b - this.firstBlock];
    const meanSquare = sum / ((last - first) * this.blockSize);
    return 10 * Math.log10(Math.max(meanSquare, 1e-20));
  }
}
