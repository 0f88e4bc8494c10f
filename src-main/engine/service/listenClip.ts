// Listen's single answer as a listening session (listenStart with `clip`): the page pushes only the audio recorded
// since its last push; the session keeps the whole clip as it came (at the page's rate) and answers each push with
// identifyRequest on all of it: the same resampling, clip rules and search as identifyClip of that audio, so the
// answers cannot differ. The clip is held up to the clip cap (LIMITS.maxPcmSamples and MAX_CLIP_SECONDS, as identifyClip
// takes at most); a push past it is refused ('clip-too-long'). History gets the answer once, when the session stops.
// Calls on one session run one after another (ListenSessions); the service's thread.
import type { IdentifyRequest, ListenClipOptions, ListenState } from '../../../src-preload/contract/api.js';
import { LIMITS } from '../../../src-preload/contract/api.js';
import type { IdentifyResult } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import { MAX_CLIP_SECONDS } from '../jobs/identifyClip.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { identifyRequest } from './identifyRequest.js';

/** The first buffer: 4 s at the clip's rate (grown by doubling, never past the cap). */
const INITIAL_SECONDS = 4;

export class ListenClip {
  /** The clip so far: samples [0, length) of `buffer`, at options.sampleRateHz. */
  private buffer: Float32Array;
  private length = 0;
  private answer: IdentifyResult | null = null;
  private stopped = false;
  /** The most samples the clip may hold. */
  readonly maxSamples: number;

  constructor(
    private readonly library: LibraryEngine,
    private readonly options: ListenClipOptions,
    /** Called once, at stop, with the answer (only when there is one and a history key was given). */
    private readonly onAnswer: (request: IdentifyRequest & { readonly historyKey: string }, result: IdentifyResult) => void,
  ) {
    this.maxSamples = Math.min(LIMITS.maxPcmSamples, MAX_CLIP_SECONDS * options.sampleRateHz);
    this.buffer = new Float32Array(Math.min(this.maxSamples, INITIAL_SECONDS * options.sampleRateHz));
  }

  /** Appends the new audio and searches the whole clip; a failed search leaves no answer (and nothing for History). */
  async push(samples: Float32Array): Promise<Omit<ListenState, 'sessionId'>> {
    if (this.stopped) throw new Error('ListenClip: push after stop');
    if (this.length + samples.length > this.maxSamples) {
      this.answer = null;
      const seconds = Math.floor(this.maxSamples / this.options.sampleRateHz);
      throw new AppError('clip-too-long', `a Listen keeps at most ${seconds} s of audio; this push would go past it`);
    }
    this.append(samples);
    try {
      this.answer = await identifyRequest(this.library, this.request(), undefined);
    } catch (error) {
      this.answer = null;
      // Too short so far: no answer yet, as the page expects early on; anything else is the push's error.
      if (!(error instanceof AppError && error.code === 'clip-too-short')) throw error;
    }
    return this.state();
  }

  /** Ends the session: its answer goes to History (once) when it has one and a history key. */
  async stop(): Promise<Omit<ListenState, 'sessionId'>> {
    if (!this.stopped) {
      this.stopped = true;
      const { historyKey } = this.options;
      if (this.answer && historyKey !== undefined) this.onAnswer({ ...this.request(), historyKey }, this.answer);
    }
    return this.state();
  }

  state(): Omit<ListenState, 'sessionId'> {
    const heardSeconds = Math.round((this.length / this.options.sampleRateHz) * 100) / 100;
    return { heardSeconds, playing: null, log: [], answer: this.answer };
  }

  /** The clip so far as identifyClip would be asked about it. */
  private request(): IdentifyRequest {
    const { sampleRateHz, mode, maxResults, historyKey } = this.options;
    return {
      audio: { kind: 'pcm', sampleRateHz, samples: this.buffer.subarray(0, this.length) },
      source: 'mic',
      mode,
      maxResults,
      ...(historyKey === undefined ? {} : { historyKey }),
    };
  }

  private append(samples: Float32Array): void {
    const needed = this.length + samples.length;
    if (needed > this.buffer.length) {
      let capacity = this.buffer.length;
      while (capacity < needed) capacity *= 2;
      const grown = new Float32Array(Math.min(this.maxSamples, capacity));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(samples, this.length);
    this.length = needed;
  }
}
