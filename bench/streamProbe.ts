// Diagnosis of the stream matcher's windows (issue 13 section 0): for each 10 s window (hop 5 s) of a recording, the
// clip search's best candidates with the evidence the stream rule could weigh. Bench only, not a test.
//   node out/bench/streamProbe.js --data DIR --wav FILE [--from S] [--to S]
// Per candidate: aligned votes, background, confidence, hypothesis, peak verification (score against the track's own
// decoy offsets, shifted score, matched bins), and the offset profile of its votes (offsetProfile: the best window
// against the same track's other offsets, and how the aligned votes spread over the window's time).
import path from 'node:path';
import { parseArgs } from 'node:util';
import { STREAM_DECISION_RULE } from '../src-main/engine/fingerprint/decisionRule.js';
import { extractSignalPeaks } from '../src-main/engine/fingerprint/fingerprintAudio.js';
import { unpackPeaks } from '../src-main/engine/fingerprint/peakCodec.js';
import { searchPeaks } from '../src-main/engine/fingerprint/searchClip.js';
import { offsetProfile } from '../src-main/engine/fingerprint/streamEvidence.js';
import { LibraryEngine } from '../src-main/engine/libraryEngine.js';
import { workerRunners } from '../src-main/host/openLibrary.js';
import { decodeMono } from './roomAmbience.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, wav: { type: 'string' }, from: { type: 'string', default: '0' }, to: { type: 'string', default: '1e9' } },
});
const lib = await LibraryEngine.open(path.resolve(values.data!), workerRunners(1), undefined, { embedderManifest: null, lockAs: null });
try {
  const deps = lib.identifyDeps();
  const { config, store } = deps;
  const rate = config.sampleRateHz;
  const from = Number(values.from);
  const pcm = decodeMono(path.resolve(values.wav!), rate, Math.round(from * rate), Math.min(Math.round(Number(values.to) * rate), 2 ** 31));
  const peaks = extractSignalPeaks(pcm, config, 'query');
  const fps = rate / config.hopSizeSamples;
  const win = Math.round(10 * fps);
  const hop = Math.round(5 * fps);
  const lookup = (h: number): Uint32Array => store.lookup(h);
  const peaksOf = (n: number): ReturnType<typeof unpackPeaks> => unpackPeaks(store.getPeaks(n));
  const totalFrames = Math.floor(pcm.length / config.hopSizeSamples);
  for (let w = 0; w + win <= totalFrames; w += hop) {
    const wp = peaks.filter((p) => p.frame >= w && p.frame < w + win).map((p) => ({ ...p, frame: p.frame - w }));
    const out = searchPeaks(wp, config, lookup, STREAM_DECISION_RULE, 5, peaksOf);
    const at = (from + w / fps).toFixed(0);
    if (!out.best) {
      console.log(`${at}s: nothing`);
      continue;
    }
    const rows = [out.best, ...out.matches.filter((m) => m.trackNum !== out.best!.trackNum)].slice(0, 2);
    for (const c of rows) {
      const title = deps.catalog.getTracksByNums([c.trackNum]).get(c.trackNum)?.title ?? c.trackNum;
      const v = c.verification;
      const prof = offsetProfile(wp, config, lookup, STREAM_DECISION_RULE, c);
      console.log(
        `${at}s: ${String(title).slice(0, 28).padEnd(28)} al ${c.alignedCount} bg ${out.backgroundAligned} conf ${c.confidence.toFixed(2)} x${c.timeFactor}/${c.pitchFactor} off ${(c.offsetFrames / fps).toFixed(1)}` +
          (v
            ? ` | ver ${v.score.toFixed(1)} shift ${v.shiftedScore.toFixed(1)} bins ${v.matchedBinCount} m ${v.matchedPeaks}/${v.consideredPeaks} decoy ${v.decoyMean.toFixed(1)}`
            : '') +
          ` | near ${prof.nearAligned} far ${prof.farAligned} sharp ${prof.sharpness.toFixed(2)} spread ${prof.spread.toFixed(2)}`,
      );
    }
  }
} finally {
  await lib.close();
}
