// Builds a "phone held up in a room" query set from the real-music corpus (issue 12), in the format make-queries.sh
// writes (clips/qNNNN.wav + truth.jsonl + summary.json), so `npm run bench:exact -- --queries DIR` reports it beside
// the public sets. Not a test; no audio is committed.
//   npm run bench:room-set -- --corpus DIR --seed S [--count 300] [--out DIR] [--neg-frac 0.15]
// Each positive clip: a library track cut at a random point (with 2 s of the music before it, so the room's tail of
// earlier notes is there at the start) -> small speaker -> shoebox room (image sources + frequency-dependent diffuse
// tail, DRR -8..+9 dB) -> ambience at the mic (3-15 dB SNR) -> phone mic -> AGC. Dropout clips: the speaker and phone
// chain close up (ambience 15-25 dB) with 0.5-1 s of digital silence inside. Clip lengths 4, 7 and 12 s in turn;
// negatives (15 %) come from the corpus's held-out tracks through the same chains. Every draw depends on (seed, index).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng, encodeWav } from '../src-main/engine/testing/synthAudio.js';
import { AMBIENCE_KINDS, Ambience, decodeMono } from './roomAmbience.js';
import { agc, drawPhone, drawSpeaker, dropout, mixAtSnr, phoneFilters, playThroughSpeaker } from '../src-main/engine/testing/room/chain.js';
import { convolve, filter, rmsDb, uniformIn } from '../src-main/engine/testing/room/dsp.js';
import { drawRoom, measureDrrDb, measureRt60, reverberantPart, roomImpulseResponse } from '../src-main/engine/testing/room/rir.js';

interface Track {
  path: string;
  duration: number;
  id: string;
  style: string;
}

const { values } = parseArgs({
  options: {
    corpus: { type: 'string' },
    seed: { type: 'string' },
    count: { type: 'string', default: '300' },
    out: { type: 'string' },
    'neg-frac': { type: 'string', default: '0.15' },
    'dropout-frac': { type: 'string', default: '0.2' },
  },
});
if (!values.corpus || !values.seed) {
  console.error('usage: npm run bench:room-set -- --corpus DIR --seed S [--count 300] [--out DIR]');
  process.exit(2);
}
const corpus = path.resolve(values.corpus);
const seed = Number(values.seed);
const count = Number(values.count);
const outDir = path.resolve(values.out ?? path.join(corpus, `room-seed${seed}`));
const RATE = 16_000;
const DURATIONS = [4, 7, 12] as const;
const PREROLL_S = 2;

const readManifest = (name: string): Track[] =>
  readFileSync(path.join(corpus, name), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Track);
const library = readManifest('manifest-library.jsonl');
const heldout = readManifest('manifest-heldout.jsonl');
const ambience = Ambience.prepare(corpus, RATE);
mkdirSync(path.join(outDir, 'clips'), { recursive: true });

const truths: string[] = [];
const started = performance.now();
for (let i = 0; i < count; i++) {
  const rng = createRng((seed * 0x9e3779b1 + i * 0x85ebca6b) >>> 0);
  const u = uniformIn(rng);
  const duration = DURATIONS[i % DURATIONS.length];
  const negative = rng() < Number(values['neg-frac']);
  const isDropout = rng() < Number(values['dropout-frac']);
  const pool = (negative ? heldout : library).filter((t) => t.duration >= duration + 6);
  const track = pool[Math.floor(rng() * pool.length)];
  const sourceDir = negative ? 'heldout' : 'library';
  const offset = Math.round(u(2, track.duration - duration - 2) * RATE) / RATE;
  const clipSamples = duration * RATE;
  const from = Math.round((offset - PREROLL_S) * RATE);
  const music = decodeMono(path.join(corpus, sourceDir, track.path), RATE, from, from + PREROLL_S * RATE + clipSamples);
  const speaker = drawSpeaker(rng);
  const phone = drawPhone(rng);
  const loud = playThroughSpeaker(music, speaker, RATE);
  const params: Record<string, unknown> = { speaker, phone };
  let atMic: Float32Array;
  let condition: string;
  if (!isDropout) {
    const room = drawRoom(rng);
    const rir = roomImpulseResponse(room, RATE, rng);
    const wet = convolve(loud, rir.h);
    // Clip time 0 = the direct sound of track time `offset` reaching the phone.
    atMic = wet.slice(PREROLL_S * RATE + rir.directIndex, PREROLL_S * RATE + rir.directIndex + clipSamples);
    const kind = AMBIENCE_KINDS[Math.floor(rng() * AMBIENCE_KINDS.length)];
    const snrDb = u(3, 15);
    const amb = ambience.render(kind, clipSamples, rng);
    atMic = mixAtSnr(atMic, amb.pcm, snrDb);
    const bucket = snrDb < 7 ? '3-7' : snrDb < 11 ? '7-11' : '11-15';
    condition = `room snr ${bucket} dB`;
    params.room = { ...room, measuredRt60: measureRt60(reverberantPart(rir, RATE), RATE, 1000), measuredDrrDb: measureDrrDb(rir, RATE) };
    params.ambience = { kind, snrDb, sources: amb.sources };
  } else {
    atMic = loud.slice(PREROLL_S * RATE, PREROLL_S * RATE + clipSamples);
    const kind = AMBIENCE_KINDS[Math.floor(rng() * AMBIENCE_KINDS.length)];
    const snrDb = u(15, 25);
    atMic = mixAtSnr(atMic, ambience.render(kind, clipSamples, rng).pcm, snrDb);
    condition = 'dropout';
    params.ambience = { kind, snrDb };
  }
  let clip = agc(filter(atMic, ...phoneFilters(phone, RATE)), phone.agcTargetDb, RATE);
  if (isDropout) {
    const seconds = u(0.5, 1);
    const at = u(0.5, duration - seconds - 0.5);
    clip = dropout(clip, at, seconds, RATE);
    params.dropout = { atSeconds: at, seconds };
  }
  const name = `clips/q${String(i).padStart(4, '0')}.wav`;
  writeFileSync(path.join(outDir, name), encodeWav(clip, RATE, 16));
  truths.push(
    JSON.stringify({
      query: name,
      expected: negative ? null : track.path,
      negative,
      source_dir: sourceDir,
      source_path: track.path,
      track_id: track.id,
      style: track.style,
      offset,
      speed: 1,
      duration,
      degradation: isDropout ? 'dropout' : 'room',
      condition,
      params,
      rms_dbfs: rmsDb(clip),
      sample_rate: RATE,
      channels: 1,
      seed,
      index: i,
    }),
  );
  if ((i + 1) % 25 === 0) console.error(`  ${i + 1}/${count} clips, ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
writeFileSync(path.join(outDir, 'truth.jsonl'), truths.join('\n') + '\n');
writeFileSync(
  path.join(outDir, 'summary.json'),
  JSON.stringify(
    { seed, count, sampleRateHz: RATE, durations: DURATIONS, negFrac: Number(values['neg-frac']), dropoutFrac: Number(values['dropout-frac']) },
    null,
    1,
  ),
);
console.log(`wrote ${count} clips to ${outDir}`);
