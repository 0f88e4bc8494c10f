// The distractor plan of bench:scale: deterministic, nested across sizes, and every distractor far enough from its
// source that no clip of the source may match it (the exact lane's speed grid stops at 6 %).
import { describe, expect, it } from 'vitest';
import { type LibraryTrack, KINDS, ffmpegSteps, filterChain, planDistractors, roundsFor } from './scalePlan.js';

const library: LibraryTrack[] = Array.from({ length: 24 }, (_, i) => ({
  path: `Artist ${i % 4}/Album/${String(i).padStart(2, '0')} Song ${i}.mp3`,
  id: `pkg${i % 4}:song${i}`,
  package: `pkg${i % 4}`,
  duration: 60 + i * 10,
  title: `Song ${i}`,
  artist: `Artist ${i % 4}`,
  album: 'Album',
  style: 'rock',
}));

describe('planDistractors', () => {
  it('is the same for the same seed, and another seed draws other parameters', () => {
    expect(planDistractors(library, 3, 11)).toEqual(planDistractors(library, 3, 11));
    const other = planDistractors(library, 3, 12);
    expect(other.map((d) => JSON.stringify(d.main))).not.toEqual(planDistractors(library, 3, 11).map((d) => JSON.stringify(d.main)));
  });

  it('makes each larger size a superset of the smaller (4x is a prefix of 16x)', () => {
    expect(roundsFor(4)).toBe(3);
    expect(roundsFor(1)).toBe(0);
    const four = planDistractors(library, roundsFor(4), 11);
    const sixteen = planDistractors(library, roundsFor(16), 11);
    expect(four).toHaveLength(3 * library.length);
    expect(sixteen.slice(0, four.length)).toEqual(four);
    expect(new Set(sixteen.map((d) => d.path)).size).toBe(sixteen.length);
  });

  it('keeps every distractor out of reach of its source: speed >= 12 % off or pitch >= 2 semitones, reversed or not', () => {
    const plan = planDistractors(library, roundsFor(40), 11);
    const hidden = (t: { speed: number; semitones: number; reverse: boolean }): boolean => Math.abs(t.speed - 1) >= 0.12 - 1e-9 || Math.abs(t.semitones) >= 2; // reversal alone is not enough
    for (const d of plan) {
      expect(hidden(d.main)).toBe(true);
      if (d.kind === 'mix') {
        expect(d.partner).not.toBeNull();
        expect(hidden(d.partner!.transform)).toBe(true);
        // An unrelated track: another package.
        expect(library.find((t) => t.path === d.partner!.source)!.package).not.toBe(library[d.sourceIndex].package);
      } else {
        expect(d.partner).toBeNull();
      }
    }
    // Consecutive rounds give one track different kinds; all kinds and formats are used.
    for (let i = 0; i < library.length; i++) {
      const kinds = plan.filter((d) => d.sourceIndex === i && d.round < KINDS.length).map((d) => d.kind);
      expect(new Set(kinds).size).toBe(KINDS.length);
    }
    expect(new Set(plan.map((d) => d.format))).toEqual(new Set(['mp3', 'm4a', 'opus', 'flac']));
  });

  it('computes durations from the speeds and tags each file as a distractor of its source', () => {
    for (const d of planDistractors(library, 6, 11)) {
      const src = library[d.sourceIndex];
      if (d.kind === 'mix') {
        const p = library.find((t) => t.path === d.partner!.source)!;
        expect(d.duration).toBeCloseTo(Math.min(src.duration / d.main.speed, p.duration / d.partner!.transform.speed), 2);
      } else {
        expect(d.duration).toBeCloseTo(src.duration / d.main.speed, 2);
      }
      expect(d.tags.artist).toBe(`Distractor of ${src.artist}`);
      expect(d.tags.comment).toContain(`distractor of ${src.id}`);
      expect(d.path).toMatch(new RegExp(`^r0${d.round}/Artist \\d/Album/\\d\\d Song \\d+ \\(${d.kind} 0${d.round}\\)\\.${d.format}$`));
    }
  });
});

describe('ffmpeg commands', () => {
  it('changes turntable speed by resampling, pitch key-locked, and reverses last', () => {
    expect(filterChain({ speed: 0.85, semitones: 0, reverse: false }, '0:a', 'a', 'atempo')).toBe(
      '[0:a]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono,asetrate=37485,aresample=44100[a]',
    );
    // +12 semitones = an octave: rate x2 then tempo back by half.
    expect(filterChain({ speed: 1, semitones: 12, reverse: true }, 'x', 'y', 'atempo')).toBe(
      '[x]aresample=44100,aformat=sample_fmts=fltp:channel_layouts=mono,asetrate=88200,aresample=44100,atempo=0.500000,areverse[y]',
    );
    expect(filterChain({ speed: 1, semitones: -2, reverse: false }, 'x', 'y', 'rubberband')).toContain('rubberband=pitch=0.890899');
  });

  it('writes a plain distractor in one run: the transform, the format named, mono, with the tags', () => {
    const d = planDistractors(library, 6, 11).find((x) => x.kind === 'reverse' && x.format === 'flac')!;
    const { runs, temps } = ffmpegSteps(d, '/lib', '/out/.x.part', 'atempo');
    expect(runs).toHaveLength(1);
    expect(temps).toEqual([]);
    const [args] = runs;
    expect(args.filter((a) => a === '-i')).toHaveLength(1);
    expect(args[args.indexOf('-filter_complex') + 1]).toMatch(/areverse\[a\];\[a\]aresample=22050\[out\]$/);
    expect(args).toEqual(expect.arrayContaining(['-c:a', 'flac', '-ac', '1', `artist=${d.tags.artist}`]));
    expect(args.at(-1)).toBe('/out/.x.part');
  });

  it('makes a mixture in three runs (each input to a WAV, then the mix), never two inputs in a graph that reverses', () => {
    const mixes = planDistractors(library, 6, 11).filter((x) => x.kind === 'mix');
    const d = mixes.find((x) => x.format === 'opus')!;
    const { runs, temps } = ffmpegSteps(d, '/lib', '/out/.x.part', 'atempo');
    expect(runs).toHaveLength(3);
    expect(temps).toEqual(['/out/.x.part.a.wav', '/out/.x.part.b.wav']);
    expect(runs[0][runs[0].indexOf('-i') + 1]).toBe(`/lib/${d.source}`);
    expect(runs[1][runs[1].indexOf('-i') + 1]).toBe(`/lib/${d.partner!.source}`);
    expect(runs[1][runs[1].indexOf('-filter_complex') + 1]).toContain(`volume=${d.partner!.gainDb}dB[out]`);
    expect(runs[0].at(-1)).toBe(temps[0]);
    expect(runs[1].at(-1)).toBe(temps[1]);
    const last = runs[2];
    expect(last.filter((a) => a === '-i')).toHaveLength(2);
    const graph = last[last.indexOf('-filter_complex') + 1];
    expect(graph).toContain('amix=inputs=2:duration=shortest');
    expect(graph).toContain('aresample=24000[out]');
    expect(last).toEqual(expect.arrayContaining(['-c:a', 'libopus', '-f', 'ogg', '-ac', '1', `artist=${d.tags.artist}`]));
    expect(last.at(-1)).toBe('/out/.x.part');
    for (const m of mixes)
      for (const args of ffmpegSteps(m, '/lib', '/o', 'atempo').runs) {
        const g = args[args.indexOf('-filter_complex') + 1];
        if (g.includes('areverse')) expect(args.filter((a) => a === '-i')).toHaveLength(1);
      }
  });
});
