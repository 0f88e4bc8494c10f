// Band-limited resampling of mono Float32 PCM (Kaiser-windowed sinc from a precomputed table), for clips that arrive
// as PCM (WAV files, the microphone) and so skip ffmpeg's ~90 ms start-up. Pure. The cutoff sits at 0.95 x the
// lower Nyquist, close to ffmpeg's default resampler, so clips and ffmpeg-decoded library files see the same band.

const TABLE_STEPS_PER_SAMPLE = 512;

function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 50; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < 1e-14 * sum) break;
  }
  return sum;
}

interface Kernel {
  readonly table: Float32Array;
  readonly radius: number;
}

const kernels = new Map<string, Kernel>();

function kernelFor(cutoff: number, halfTaps: number): Kernel {
  const key = `${cutoff}:${halfTaps}`;
  const cached = kernels.get(key);
  if (cached) return cached;
  const radius = halfTaps / cutoff; // input samples on each side
  const beta = 8; // Kaiser window: ~ -80 dB side lobes
  const i0Beta = besselI0(beta);
  const size = Math.ceil(radius * TABLE_STEPS_PER_SAMPLE) + 2;
  const table = new Float32Array(size);
  for (let j = 0; j < size; j++) {
    const x = j / TABLE_STEPS_PER_SAMPLE;
    const t = x / radius;
    const w = t >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - t * t)) / i0Beta;
    const arg = Math.PI * cutoff * x;
    table[j] = w * (arg === 0 ? 1 : Math.sin(arg) / arg);
  }
  const kernel = { table, radius };
  kernels.set(key, kernel);
  return kernel;
}

/**
 * Resamples `pcm` from `fromHz` to `toHz`; output length = round(length * toHz / fromHz). `halfTaps` = sinc zero
 * crossings on each side (at the output rate when downsampling): wider = sharper cutoff, slower.
 */
export function resamplePcm(pcm: Float32Array, fromHz: number, toHz: number, halfTaps = 10): Float32Array {
  if (!(fromHz > 0) || !(toHz > 0)) throw new RangeError('sample rates must be positive');
  if (fromHz === toHz) return pcm.slice();
  const ratio = toHz / fromHz;
  const cutoff = 0.95 * Math.min(1, ratio); // as a fraction of the input Nyquist
  const { table, radius } = kernelFor(cutoff, halfTaps);
  const outLength = Math.round(pcm.length * ratio);
  const out = new Float32Array(outLength);
  const step = 1 / ratio;
  for (let n = 0; n < outLength; n++) {
    const center = n * step;
    const lo = Math.max(0, Math.ceil(center - radius));
    const hi = Math.min(pcm.length - 1, Math.floor(center + radius));
    let acc = 0;
    let norm = 0;
    for (let i = lo; i <= hi; i++) {
      const pos = Math.abs(i - center) * TABLE_STEPS_PER_SAMPLE;
      const j = pos | 0;
      const f = pos - j;
      const k = table[j] + (table[j + 1] - table[j]) * f;
      acc += pcm[i] * k;
      norm += k;
    }
    // Normalising by the kernel sum keeps DC gain at 1 near the edges too.
    out[n] = norm !== 0 ? acc / norm : 0;
  }
  return out;
}
