// Pure: cuts mono PCM into the fixed-length windows an embedder takes. Tracks: windows a hop apart covering the
// track (evenly spread when there are more than `maxWindows`); clips: sliding windows, short clips repeat-padded.

/** Repeats `pcm` until it fills `length` samples (CLAP's "repeatpad"); silence when pcm is empty. */
export function repeatPad(pcm: Float32Array, length: number): Float32Array {
  const out = new Float32Array(length);
  if (pcm.length === 0) return out;
  for (let i = 0; i < length; i += pcm.length) out.set(pcm.subarray(0, Math.min(pcm.length, length - i)), i);
  return out;
}

/**
 * Start sample of each track window: windows `hopSamples` apart (overlapping when hop < window) with the leftover
 * split between both ends, or, when that makes more than `maxWindows`, `maxWindows` spread evenly over the track.
 */
export function trackWindowStarts(sampleCount: number, windowSamples: number, maxWindows: number, hopSamples = windowSamples): number[] {
  if (sampleCount <= windowSamples) return [0];
  const fit = Math.floor((sampleCount - windowSamples) / hopSamples) + 1;
  if (fit <= maxWindows) {
    const offset = Math.floor((sampleCount - windowSamples - (fit - 1) * hopSamples) / 2);
    return Array.from({ length: fit }, (_, i) => offset + i * hopSamples);
  }
  // Spread: window i centred at (i + 0.5) / maxWindows of the track.
  const span = sampleCount - windowSamples;
  return Array.from({ length: maxWindows }, (_, i) => Math.round((span * (i + 0.5)) / maxWindows));
}

export function trackWindows(pcm: Float32Array, windowSamples: number, maxWindows: number, hopSamples = windowSamples): Float32Array[] {
  return trackWindowStarts(pcm.length, windowSamples, maxWindows, hopSamples).map((s) =>
    s + windowSamples <= pcm.length ? pcm.slice(s, s + windowSamples) : repeatPad(pcm.subarray(s), windowSamples),
  );
}

/** Sliding windows over a clip, `hopSamples` apart; the last one ends at the clip's end. */
export function clipWindows(pcm: Float32Array, windowSamples: number, hopSamples: number, maxWindows = 64): Float32Array[] {
  if (pcm.length <= windowSamples) return [repeatPad(pcm, windowSamples)];
  const starts: number[] = [];
  for (let s = 0; s + windowSamples <= pcm.length; s += hopSamples) starts.push(s);
  const last = pcm.length - windowSamples;
  if (starts[starts.length - 1] !== last) starts.push(last);
  const picked =
    starts.length <= maxWindows ? starts : Array.from({ length: maxWindows }, (_, i) => starts[Math.round((i * (starts.length - 1)) / (maxWindows - 1))]);
  return picked.map((s) => pcm.slice(s, s + windowSamples));
}

/** Mean of the vectors, L2-normalised (a zero mean stays zero). */
export function poolVectors(vectors: readonly Float32Array[], dim: number): Float32Array {
  const out = new Float32Array(dim);
  for (const v of vectors) for (let i = 0; i < dim; i++) out[i] += v[i];
  return l2Normalise(out);
}

export function l2Normalise(v: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i] * v[i];
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let i = 0; i < v.length; i++) v[i] /= norm;
  return v;
}

export function cosine(a: Float32Array, b: Float32Array, from = 0, length = a.length): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = from; i < from + length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}
