// Audio recorded but not pushed yet, as the capture worklet posted it (chunks in order), for the two flows that push
// only new audio to an engine listening session: Listen's clip session and Keep listening. Pure.

export interface PendingAudio {
  /** Chunks in recording order; the first may be a view on what is left of a chunk partly taken. */
  pending: Float32Array[];
  /** Samples in `pending`, all chunks together. */
  pendingCount: number;
}

/** Adds a chunk the worklet posted. */
export function addPending(audio: PendingAudio, samples: Float32Array): void {
  audio.pending.push(samples);
  audio.pendingCount += samples.length;
}

/** Takes (and removes) the oldest `max` pending samples, or all of them when fewer, as one array. */
export function takeSamples(audio: PendingAudio, max: number): Float32Array {
  const count = Math.min(max, audio.pendingCount);
  const out = new Float32Array(count);
  let at = 0;
  while (at < count) {
    const chunk = audio.pending[0];
    const take = Math.min(chunk.length, count - at);
    out.set(chunk.subarray(0, take), at);
    at += take;
    if (take === chunk.length) audio.pending.shift();
    else audio.pending[0] = chunk.subarray(take);
  }
  audio.pendingCount -= count;
  return out;
}
