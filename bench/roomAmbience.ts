// Ambience for the room benchmark (bench only): real recordings from Debian packages, never committed. Most come from
// packages the corpus build already unpacked into CORPUS/cache/x (flare-game, supertux-data, ardentryst, naev-data,
// widelands-data) and the corpus's babble talkers; traffic, applause and machinery come from openttd-opensfx (CC0 /
// CC-BY 3.0 field recordings) and frozen-bubble-data, fetched here with `apt-get download` like the corpus scripts do.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../src-main/engine/audio/ffmpegPath.js';
import { gaussian, filter, biquad } from '../src-main/engine/testing/room/dsp.js';

export const AMBIENCE_KINDS = ['rain', 'wind', 'traffic', 'cafe', 'machinery', 'applause', 'outdoor'] as const;
export type AmbienceKind = (typeof AMBIENCE_KINDS)[number];

interface KindSources {
  /** Continuous recordings, looped from a random point. */
  readonly beds: readonly string[];
  /** Short events scattered over the bed at `eventsPerSecond`. */
  readonly events: readonly string[];
  readonly eventsPerSecond: number;
  /** A synthetic bed under the events when the kind has no recorded bed (traffic rumble, applause wash). */
  readonly syntheticBed?: 'rumble' | 'none';
}

export class Ambience {
  private readonly cache = new Map<string, Float32Array>();
  private constructor(
    private readonly kinds: ReadonlyMap<AmbienceKind, KindSources>,
    private readonly sampleRateHz: number,
  ) {}

  /** Finds (and where needed fetches) the recordings. Throws with a plain reason when a kind has no source. */
  static prepare(corpusDir: string, sampleRateHz: number): Ambience {
    const x = path.join(corpusDir, 'cache', 'x');
    const extra = path.join(corpusDir, 'cache', 'ambience');
    fetchDebs(extra, ['openttd-opensfx', 'frozen-bubble-data']);
    const sfx = path.join(extra, 'opensfx');
    if (!existsSync(sfx)) unpackOpenSfx(path.join(extra, 'x', 'usr/share/games/openttd/baseset/opensfx/opensfx.cat'), sfx);
    const flare = path.join(x, 'flare-game/usr/share/games/flare/mods');
    const env = path.join(flare, 'fantasycore/soundfx/environment');
    const opensfx = (pattern: RegExp): string[] =>
      readdirSync(sfx)
        .filter((f) => pattern.test(f))
        .map((f) => path.join(sfx, f));
    const babble = path.join(corpusDir, 'cache', 'babble');
    const talkers = existsSync(babble)
      ? readdirSync(babble)
          .filter((f) => f.endsWith('.wav'))
          .map((f) => path.join(babble, f))
      : [];
    const kinds = new Map<AmbienceKind, KindSources>([
      [
        'rain',
        {
          beds: [
            path.join(flare, 'empyrean_campaign/soundfx/environment/rain.ogg'),
            path.join(x, 'supertux-data/usr/share/games/supertux2/sounds/rain.wav'),
            path.join(x, 'ardentryst/usr/share/games/ardentryst/Sounds/Rain_Loop.ogg'),
          ],
          events: [],
          eventsPerSecond: 0,
        },
      ],
      ['wind', { beds: [path.join(env, 'wind_loop.ogg'), path.join(env, 'cave_wind_loop.ogg')], events: [], eventsPerSecond: 0 }],
      [
        'outdoor',
        {
          beds: [path.join(env, 'forest_owl_loop.ogg'), path.join(env, 'bird_twitter_loop.ogg'), path.join(env, 'river_loop.ogg')],
          events: opensfx(/^(36|37|38)_/),
          eventsPerSecond: 0.15,
        },
      ],
      ['traffic', { beds: [], events: opensfx(/^(10|14|25|26|27|28|35)_/), eventsPerSecond: 0.8, syntheticBed: 'rumble' }],
      ['cafe', { beds: talkers, events: opensfx(/^(20|30)_/), eventsPerSecond: 0.1 }],
      [
        'machinery',
        {
          beds: [path.join(env, 'anvil_loop.ogg'), path.join(x, 'naev-data/usr/share/naev/dat/snd/sounds/engine.wav')],
          events: opensfx(/^(11|12|33|39|40)_/),
          eventsPerSecond: 0.5,
        },
      ],
      [
        'applause',
        {
          beds: [],
          events: [...opensfx(/^29_/), path.join(extra, 'x/usr/share/games/frozen-bubble/snd/applause.ogg')],
          eventsPerSecond: 6,
          syntheticBed: 'none',
        },
      ],
    ]);
    for (const [kind, s] of kinds) {
      const missing = [...s.beds, ...s.events].filter((f) => !existsSync(f));
      if (missing.length > 0) throw new Error(`ambience '${kind}': missing ${missing.join(', ')} (build the corpus first: ../shared/bench/corpus)`);
      if (s.beds.length === 0 && s.events.length === 0) throw new Error(`ambience '${kind}' has no recordings`);
    }
    return new Ambience(kinds, sampleRateHz);
  }

  private load(file: string): Float32Array {
    let pcm = this.cache.get(file);
    if (!pcm) {
      pcm = decodeMono(file, this.sampleRateHz);
      this.cache.set(file, pcm);
    }
    return pcm;
  }

  /** `samples` of ambience of one kind; `rng` chooses recordings, start points and event times. */
  render(kind: AmbienceKind, samples: number, rng: () => number): { pcm: Float32Array; sources: string[] } {
    const s = this.kinds.get(kind)!;
    const out = new Float32Array(samples);
    const sources: string[] = [];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)];
    if (s.beds.length > 0) {
      // Cafe chatter: several talkers at once; other beds: one recording.
      const layers = kind === 'cafe' ? 5 + Math.floor(rng() * 5) : 1;
      for (let l = 0; l < layers; l++) {
        const file = pick(s.beds);
        sources.push(path.basename(file));
        const bed = this.load(file);
        let at = Math.floor(rng() * bed.length);
        const g = 0.6 + 0.8 * rng();
        for (let i = 0; i < samples; i++) {
          out[i] += g * bed[at];
          at = at + 1 < bed.length ? at + 1 : 0;
        }
      }
    } else if (s.syntheticBed === 'rumble') {
      // Distant traffic: brown-ish noise below ~250 Hz.
      const n = new Float32Array(samples);
      for (let i = 0; i < samples; i++) n[i] = gaussian(rng);
      const r = filter(n, biquad('lowpass', 250, this.sampleRateHz), biquad('lowpass', 120, this.sampleRateHz));
      for (let i = 0; i < samples; i++) out[i] += 3 * r[i];
      sources.push('rumble');
    }
    const seconds = samples / this.sampleRateHz;
    const count = s.eventsPerSecond > 0 ? Math.max(1, Math.round(seconds * s.eventsPerSecond * (0.5 + rng()))) : 0;
    for (let e = 0; e < count; e++) {
      const file = pick(s.events);
      sources.push(path.basename(file).slice(0, 40));
      const ev = this.load(file);
      const start = Math.floor((rng() * 1.2 - 0.2) * samples) - Math.floor(rng() * ev.length * 0.5);
      const g = (kind === 'applause' ? 0.4 : 0.3) + rng() * 0.9;
      for (let i = Math.max(0, -start); i < ev.length && start + i < samples; i++) out[start + i] += g * ev[i];
    }
    return { pcm: out, sources };
  }
}

/** Decodes a whole file to mono float PCM at the given rate with ffmpeg. */
export function decodeMono(file: string, sampleRateHz: number, startSample?: number, endSample?: number): Float32Array {
  const trim = startSample !== undefined ? `,atrim=start_sample=${startSample}:end_sample=${endSample}` : '';
  const r = spawnSync(resolveFfmpeg().path, ['-v', 'error', '-i', file, '-ac', '1', '-af', `aresample=${sampleRateHz}${trim}`, '-f', 'f32le', '-'], {
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new Error(`ffmpeg could not decode ${file}: ${r.stderr?.toString().slice(-400)}`);
  const b = r.stdout;
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + (b.byteLength & ~3)));
}

function fetchDebs(dir: string, packages: readonly string[]): void {
  const unpacked = path.join(dir, 'x');
  const marker = path.join(dir, 'unpacked.txt');
  if (existsSync(marker) && readFileSync(marker, 'utf8').trim() === packages.join(' ')) return;
  mkdirSync(unpacked, { recursive: true });
  const got = spawnSync('apt-get', ['download', ...packages], { cwd: dir, stdio: 'inherit' });
  if (got.status !== 0) throw new Error(`apt-get download ${packages.join(' ')} failed (Debian's apt repositories are needed once)`);
  for (const deb of readdirSync(dir).filter((f) => f.endsWith('.deb'))) {
    const r = spawnSync('dpkg-deb', ['-x', path.join(dir, deb), unpacked], { stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`dpkg-deb -x ${deb} failed`);
  }
  writeFileSync(marker, packages.join(' ') + '\n');
}

/** OpenTTD's sound catalogue: a table of (offset, size) pairs, each entry a length-prefixed name and a RIFF WAV. */
function unpackOpenSfx(catFile: string, outDir: string): void {
  const d = readFileSync(catFile);
  const count = (d.readUInt32LE(0) & 0x7fffffff) / 8;
  mkdirSync(outDir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const offset = d.readUInt32LE(i * 8) & 0x7fffffff;
    const size = d.readUInt32LE(i * 8 + 4);
    const nameLength = d[offset];
    const name = d
      .subarray(offset + 1, offset + 1 + nameLength)
      .toString('latin1')
      .replace(/\0.*$/, '');
    const slug = name.replace(/[^A-Za-z0-9]+/g, '_').slice(0, 40);
    writeFileSync(path.join(outDir, `${String(i).padStart(2, '0')}_${slug}.wav`), d.subarray(offset + 1 + nameLength, offset + size));
  }
}
