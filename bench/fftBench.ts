// Micro-benchmark (not a test): the spectrum stage's FFT (fft.js) vs the naive DFT it is tested against, and
// fft.js's raw realTransform. Run: npx tsx bench/fftBench.ts. (Our own radix-2 real FFT measured 3.0x slower
// than fft.js here and was removed.)
import { createFftPlan, naivePowerSpectrum, powerSpectrum } from '../src-main/engine/fingerprint/fft.js';

const N = 1024;
const input = new Float64Array(N).map((_, i) => Math.sin(i * 0.1) + Math.cos(i * 0.37));
const power = new Float64Array(N / 2 + 1);

function timeIt(fn: () => void, frames: number): number {
  for (let i = 0; i < Math.ceil(frames / 10); i++) fn();
  const t = performance.now();
  for (let i = 0; i < frames; i++) fn();
  return ((performance.now() - t) * 1000) / frames;
}
const plan = createFftPlan(N);
let fast = Infinity;
let naive = Infinity;
for (let round = 0; round < 5; round++) {
  fast = Math.min(
    fast,
    timeIt(() => powerSpectrum(plan, input, power), 20000),
  );
  naive = Math.min(
    naive,
    timeIt(() => naivePowerSpectrum(input, N, power), 20),
  );
}
console.log(`powerSpectrum (fft.js) ${fast.toFixed(2)} us/frame, naive DFT ${naive.toFixed(0)} us/frame, ratio ${(naive / fast).toFixed(0)}x`);
