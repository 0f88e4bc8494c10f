// The zoo's hostile inputs (issue 15): each case writes one file, folder or link into its own folder and says what a
// right outcome is. Pure generators: bytes and ffmpeg, no library. Used by benchZoo.ts (not a test).
import { spawn } from 'node:child_process';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { resolveFfmpeg } from '../src-main/engine/audio/ffmpegPath.js';
import { createRng, encodeWav, runFfmpegTool, synthSong, writeSongFile, writeWav } from '../src-main/engine/testing/synthAudio.js';

/** What identify may answer: a typed error, nothing matched (or too short to tell), or either of the two. */
export type IdentifyExpectation = 'error' | 'no-match' | 'error-or-no-match' | 'skip';
/** What index may do with the input: list it as failed, index it, skip it silently, or any typed outcome. */
export type IndexExpectation = 'failed' | 'indexed' | 'skipped' | 'failed-or-skipped' | 'indexed-or-failed' | 'any' | 'skip';

export interface ZooCase {
  readonly name: string;
  readonly group: string;
  /** Writes the input under `dir` (a fresh, empty folder of its own); returns the path identify is given. */
  readonly make: (dir: string) => Promise<string>;
  readonly identify: IdentifyExpectation;
  readonly index: IndexExpectation;
  /** Runs identify with this working directory and these arguments instead of the absolute path. */
  readonly relativeArgs?: (inputPath: string) => { cwd: string; args: string[] };
  /** Limits above the defaults (a 3-hour file takes a while to index). */
  readonly indexTimeLimitSeconds?: number;
  /** Something to run while index is under way (a file that keeps growing); resolves when done. */
  readonly duringIndex?: (inputPath: string) => Promise<void>;
  /** Run identify and index as this unprivileged user (unreadable files mean nothing to root). */
  readonly asNobody?: boolean;
}

const SONG_RATE = 22050;

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n >>> 0);
  return b;
}
function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16LE(n & 0xffff);
  return b;
}

/** A WAV file whose every header field can lie. Data is `dataBytes`; sizes default to the truth. */
function wavBytes(fields: {
  formatTag?: number;
  channels?: number;
  sampleRateHz?: number;
  byteRate?: number;
  blockAlign?: number;
  bits?: number;
  riffSize?: number;
  dataSize?: number;
  data: Buffer;
  omitFmt?: boolean;
  extraChunk?: Buffer;
}): Buffer {
  const channels = fields.channels ?? 1;
  const bits = fields.bits ?? 16;
  const rate = fields.sampleRateHz ?? 22050;
  const blockAlign = fields.blockAlign ?? (channels * bits) / 8;
  const fmt = Buffer.concat([
    Buffer.from('fmt '),
    u32(16),
    u16(fields.formatTag ?? 1),
    u16(channels),
    u32(rate),
    u32(fields.byteRate ?? rate * blockAlign),
    u16(blockAlign),
    u16(bits),
  ]);
  const data = Buffer.concat([Buffer.from('data'), u32(fields.dataSize ?? fields.data.length), fields.data]);
  const body = Buffer.concat([Buffer.from('WAVE'), fields.extraChunk ?? Buffer.alloc(0), fields.omitFmt ? Buffer.alloc(0) : fmt, data]);
  return Buffer.concat([Buffer.from('RIFF'), u32(fields.riffSize ?? body.length), body]);
}

function pcm16(pcm: Float32Array): Buffer {
  const out = Buffer.alloc(pcm.length * 2);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(Math.max(-32768, Math.min(32767, Math.round(pcm[i] * 32767))), i * 2);
  return out;
}

function randomBytes(seed: number, count: number): Buffer {
  const rng = createRng(seed);
  const out = Buffer.alloc(count);
  for (let i = 0; i < count; i++) out[i] = Math.floor(rng() * 256);
  return out;
}

function tone(frequencyHz: number, seconds: number, rateHz = SONG_RATE, amplitude = 0.5): Float32Array {
  const out = new Float32Array(Math.round(seconds * rateHz));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / rateHz);
  return out;
}

async function write(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const file = path.join(dir, name);
  await fsp.writeFile(file, bytes);
  return file;
}

/** A real encoded song (a seed no library song uses) in the format its name says. */
async function song(dir: string, name: string, seed: number, seconds = 20): Promise<string> {
  const file = path.join(dir, name);
  await writeSongFile(file, seed, seconds, { title: `zoo ${seed}`, artist: 'Zoo' });
  return file;
}

async function truncated(dir: string, name: string, seed: number, keep: (size: number) => number): Promise<string> {
  const full = await song(dir, `full-${name}`, seed);
  const bytes = await fsp.readFile(full);
  await fsp.rm(full);
  return write(dir, name, bytes.subarray(0, keep(bytes.length)));
}

/** Overwrites `count` bytes at the first occurrence of `marker` (plus `shift`) with `patch`. */
function patchAfter(bytes: Buffer, marker: string, shift: number, patch: Buffer): Buffer {
  const at = bytes.indexOf(Buffer.from(marker, 'latin1'));
  if (at < 0) throw new Error(`zoo: marker ${marker} not found`);
  const out = Buffer.from(bytes);
  patch.copy(out, at + shift);
  return out;
}

function ffmpegLavfi(args: string[]): Promise<void> {
  return runFfmpegTool(['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

const FORMATS = ['mp3', 'flac', 'ogg', 'opus', 'm4a', 'wav'] as const;

/** Appends a second of noise-like PCM every 50 ms for `seconds`, so the file grows while the scan reads it. */
async function growFile(file: string, seconds: number): Promise<void> {
  const chunk = pcm16(synthSong(977, 1, SONG_RATE));
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    await fsp.appendFile(file, chunk);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export function zooCases(): ZooCase[] {
  const cases: ZooCase[] = [];
  const add = (c: ZooCase): void => {
    cases.push(c);
  };

  // Empty files and truncations of every format.
  for (const ext of FORMATS) {
    add({ name: `zero bytes .${ext}`, group: 'empty/truncated', make: (d) => write(d, `empty.${ext}`, new Uint8Array(0)), identify: 'error', index: 'failed' });
  }
  FORMATS.forEach((ext, i) => {
    add({
      name: `first 100 bytes of a .${ext}`,
      group: 'empty/truncated',
      make: (d) => truncated(d, `head.${ext}`, 500 + i, () => 100),
      identify: 'error',
      index: 'failed',
    });
    add({
      name: `first half of a .${ext}`,
      group: 'empty/truncated',
      make: (d) => truncated(d, `half.${ext}`, 510 + i, (n) => Math.floor(n / 2)),
      identify: 'error-or-no-match',
      index: 'indexed-or-failed',
    });
  });

  // Random bytes and other files under audio names.
  FORMATS.forEach((ext, i) => {
    add({
      name: `64 KB of random bytes as .${ext}`,
      group: 'not audio',
      make: (d) => write(d, `random.${ext}`, randomBytes(100 + i, 65536)),
      identify: 'error',
      index: 'failed',
    });
  });
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  add({
    name: 'a PNG named .mp3',
    group: 'not audio',
    make: (d) => write(d, 'picture.mp3', Buffer.concat([png, randomBytes(7, 4000)])),
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'a text file named .flac',
    group: 'not audio',
    make: (d) => write(d, 'notes.flac', 'These are not the droids you are looking for.\n'.repeat(200)),
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'a program (ELF) named .wav',
    group: 'not audio',
    make: async (d) => write(d, 'program.wav', await fsp.readFile('/bin/true')),
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'a PDF named .m4a',
    group: 'not audio',
    make: (d) => write(d, 'doc.m4a', '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'.repeat(100)),
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'gzip bytes named .ogg',
    group: 'not audio',
    make: (d) => write(d, 'archive.ogg', Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0]), randomBytes(9, 20000)])),
    identify: 'error',
    index: 'failed',
  });

  // Lying WAV headers.
  const oneSecond = pcm16(synthSong(601, 3, 22050));
  const lying: Array<[string, Parameters<typeof wavBytes>[0]]> = [
    ['WAV with 0 channels', { channels: 0, data: oneSecond }],
    ['WAV claiming 65,535 channels', { channels: 65535, data: oneSecond }],
    ['WAV data chunk claiming 4 GB', { dataSize: 0xfffffff0, data: oneSecond }],
    ['WAV data chunk of 0 bytes', { dataSize: 0, data: Buffer.alloc(0) }],
    ['WAV without a fmt chunk', { omitFmt: true, data: oneSecond }],
    ['WAV with 7-bit samples', { bits: 7, data: oneSecond }],
    ['WAV with block align 0', { blockAlign: 0, data: oneSecond }],
    ['WAV with an unknown format tag', { formatTag: 0x9999, data: oneSecond }],
    ['WAV whose RIFF size lies', { riffSize: 0xffffffff, data: oneSecond }],
    ['WAV with a chunk claiming 4 GB before fmt', { extraChunk: Buffer.concat([Buffer.from('LIST'), u32(0xfffffff0)]), data: oneSecond }],
  ];
  for (const [name, fields] of lying) {
    add({ name, group: 'lying headers', make: (d) => write(d, 'lying.wav', wavBytes(fields)), identify: 'error-or-no-match', index: 'indexed-or-failed' });
  }
  // Rates no real file has: refused, never resampled (a 1 Hz header would decode 3 s of bytes as 122 hours).
  for (const [name, rate] of [
    ['WAV claiming 4,294,967,295 Hz', 0xffffffff],
    ['WAV claiming 1 Hz', 1],
    ['WAV claiming 0 Hz', 0],
  ] as const) {
    add({
      name,
      group: 'lying headers',
      make: (d) => write(d, 'rate.wav', wavBytes({ sampleRateHz: rate, data: oneSecond })),
      identify: 'error',
      index: 'failed',
    });
  }
  add({
    name: 'MP3 whose ID3 tag claims 256 MB',
    group: 'lying headers',
    make: async (d) => {
      const real = await fsp.readFile(await song(d, 'real.mp3', 620));
      await fsp.rm(path.join(d, 'real.mp3'));
      const id3 = Buffer.from([0x49, 0x44, 0x33, 3, 0, 0, 0x7f, 0x7f, 0x7f, 0x7f]);
      const frame = Buffer.concat([Buffer.from('TIT2'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0]), Buffer.from('\0title')]);
      return write(d, 'id3.mp3', Buffer.concat([id3, frame, real]));
    },
    identify: 'error-or-no-match',
    index: 'indexed-or-failed',
  });
  add({
    name: 'MP3 frame headers over random data',
    group: 'lying headers',
    make: (d) => {
      const parts: Buffer[] = [];
      for (let i = 0; i < 400; i++) parts.push(Buffer.from([0xff, 0xfb, 0x90, 0x64]), randomBytes(i, 413));
      return write(d, 'frames.mp3', Buffer.concat(parts));
    },
    identify: 'error-or-no-match',
    index: 'indexed-or-failed',
  });

  // Real but extreme rates and channel counts, a single sample.
  add({
    name: 'WAV at 1 kHz',
    group: 'rates/channels',
    make: async (d) => {
      const f = path.join(d, 'r1k.wav');
      await writeWav(f, tone(300, 5, 1000), 1000);
      return f;
    },
    identify: 'error-or-no-match',
    index: 'indexed-or-failed',
  });
  add({
    name: 'WAV at 768 kHz',
    group: 'rates/channels',
    make: async (d) => {
      const f = path.join(d, 'r768k.wav');
      await writeWav(f, synthSong(630, 3, 768000), 768000);
      return f;
    },
    identify: 'error-or-no-match',
    index: 'indexed',
  });
  add({
    name: 'FLAC at 192 kHz',
    group: 'rates/channels',
    make: (d) =>
      ffmpegLavfi(['-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=192000:duration=4', '-c:a', 'flac', path.join(d, 'r192k.flac')]).then(() =>
        path.join(d, 'r192k.flac'),
      ),
    identify: 'error-or-no-match',
    index: 'indexed',
  });
  add({
    name: '8-channel FLAC',
    group: 'rates/channels',
    make: (d) =>
      ffmpegLavfi([
        '-f',
        'lavfi',
        '-i',
        'anoisesrc=d=6:c=pink:r=44100',
        '-af',
        'pan=7.1|c0=c0|c1=c0|c2=c0|c3=c0|c4=c0|c5=c0|c6=c0|c7=c0',
        '-c:a',
        'flac',
        path.join(d, 'ch8.flac'),
      ]).then(() => path.join(d, 'ch8.flac')),
    identify: 'error-or-no-match',
    index: 'indexed',
  });
  add({
    name: 'a WAV of 1 sample',
    group: 'rates/channels',
    make: (d) => write(d, 'one.wav', encodeWav(new Float32Array([0.5]), 22050)),
    identify: 'error',
    index: 'failed',
  });

  // Valid audio that is not music in the library: must never match.
  const signals: Array<[string, () => Float32Array]> = [
    ['10 s of digital silence', () => new Float32Array(10 * SONG_RATE)],
    ['10 s of DC', () => new Float32Array(10 * SONG_RATE).fill(0.5)],
    ['3 s pure 440 Hz tone', () => tone(440, 3)],
    ['10 s pure 440 Hz tone', () => tone(440, 10)],
    ['10 s of 1 kHz square wave', () => tone(1000, 10).map((x) => (x >= 0 ? 0.4 : -0.4))],
    [
      '10 s sweep 100 Hz-8 kHz',
      () => {
        const n = 10 * SONG_RATE;
        const out = new Float32Array(n);
        let phase = 0;
        for (let i = 0; i < n; i++) {
          phase += (2 * Math.PI * (100 * Math.pow(80, i / n))) / SONG_RATE;
          out[i] = 0.5 * Math.sin(phase);
        }
        return out;
      },
    ],
    [
      '10 s of white noise',
      () => {
        const r = createRng(5);
        return new Float32Array(10 * SONG_RATE).map(() => r() - 0.5);
      },
    ],
    [
      '10 s of clicks (2 per second)',
      () => {
        const out = new Float32Array(10 * SONG_RATE);
        for (let i = 0; i < out.length; i += SONG_RATE / 2) out[i] = 0.9;
        return out;
      },
    ],
  ];
  for (const [name, signal] of signals) {
    add({
      name,
      group: 'not in the library',
      make: async (d) => {
        const f = path.join(d, 'signal.wav');
        await writeWav(f, signal(), SONG_RATE);
        return f;
      },
      identify: 'no-match',
      index: 'indexed-or-failed',
    });
  }

  // Big inputs.
  add({
    name: 'a 3-hour opus file (8.6 MB)',
    group: 'size',
    make: async (d) => {
      const f = path.join(d, 'three-hours.opus');
      await ffmpegLavfi([
        '-f',
        'lavfi',
        '-i',
        'anoisesrc=d=10800:c=pink:r=16000:a=0.3',
        '-ac',
        '1',
        '-c:a',
        'libopus',
        '-b:a',
        '6k',
        '-compression_level',
        '0',
        f,
      ]);
      return f;
    },
    identify: 'error',
    index: 'indexed-or-failed',
    indexTimeLimitSeconds: 600,
  });
  add({
    name: 'a 110 MB WAV (1.9 h)',
    group: 'size',
    make: async (d) => {
      const f = path.join(d, 'big.wav');
      const rate = 8000;
      const block = pcm16(synthSong(640, 60, rate)); // one minute, repeated
      const total = 110 * 1024 * 1024;
      const count = Math.ceil(total / block.length);
      const handle = await fsp.open(f, 'w');
      try {
        await handle.write(wavBytes({ sampleRateHz: rate, data: Buffer.alloc(0), dataSize: count * block.length, riffSize: 36 + count * block.length }));
        for (let i = 0; i < count; i++) await handle.write(block);
      } finally {
        await handle.close();
      }
      return f;
    },
    identify: 'error',
    index: 'indexed-or-failed',
    indexTimeLimitSeconds: 600,
  });

  // Names and paths.
  add({
    name: 'unicode and emoji in the name',
    group: 'names/paths',
    make: (d) => song(d, 'Ünïcødé 🎵 ♫ 音楽.mp3', 650),
    identify: 'no-match',
    index: 'indexed',
  });
  add({
    name: 'a newline in the name',
    group: 'names/paths',
    make: (d) => song(d, 'first line\nsecond line.mp3', 651),
    identify: 'no-match',
    index: 'indexed',
  });
  add({
    name: 'a leading dash in the name (relative, after --)',
    group: 'names/paths',
    make: (d) => song(d, '-y -i evil.mp3', 652),
    identify: 'no-match',
    index: 'indexed',
    relativeArgs: (p) => ({ cwd: path.dirname(p), args: ['--', path.basename(p)] }),
  });
  add({
    name: 'a path of more than 4096 bytes',
    group: 'names/paths',
    make: async (d) => {
      // Build it with relative steps: the kernel refuses any single path over PATH_MAX.
      const segment = 'd'.repeat(200);
      const previous = process.cwd();
      let depth = 0;
      try {
        process.chdir(d);
        while (d.length + depth * 201 + 'deep.wav'.length < 4200) {
          await fsp.mkdir(segment);
          process.chdir(segment);
          depth++;
        }
        await fsp.writeFile('deep.wav', encodeWav(synthSong(653, 5, SONG_RATE), SONG_RATE));
      } finally {
        process.chdir(previous);
      }
      return path.join(d, ...Array<string>(depth).fill(segment), 'deep.wav');
    },
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'a folder named x.mp3',
    group: 'names/paths',
    make: async (d) => {
      const f = path.join(d, 'x.mp3');
      await fsp.mkdir(f);
      return f;
    },
    identify: 'error',
    index: 'skipped',
  });
  add({
    name: 'a symlink loop (folder links to its parent)',
    group: 'links',
    make: async (d) => {
      await fsp.mkdir(path.join(d, 'a'));
      await fsp.symlink('..', path.join(d, 'a', 'up'));
      await fsp.symlink('.', path.join(d, 'a', 'self'));
      return path.join(d, 'a', 'up');
    },
    identify: 'error',
    index: 'skipped',
  });
  add({
    name: 'two file links pointing at each other',
    group: 'links',
    make: async (d) => {
      await fsp.symlink('b.mp3', path.join(d, 'a.mp3'));
      await fsp.symlink('a.mp3', path.join(d, 'b.mp3'));
      return path.join(d, 'a.mp3');
    },
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'a dangling link',
    group: 'links',
    make: async (d) => {
      const f = path.join(d, 'gone.mp3');
      await fsp.symlink('/nonexistent/gone.mp3', f);
      return f;
    },
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'a FIFO named .wav',
    group: 'special files',
    make: async (d) => {
      const f = path.join(d, 'pipe.wav');
      await run('mkfifo', [f]);
      return f;
    },
    identify: 'error',
    index: 'failed-or-skipped',
  });
  add({
    name: 'a FIFO named .mp3',
    group: 'special files',
    make: async (d) => {
      const f = path.join(d, 'pipe.mp3');
      await run('mkfifo', [f]);
      return f;
    },
    identify: 'error',
    index: 'failed-or-skipped',
  });
  add({
    name: 'an unreadable file (as user nobody)',
    group: 'special files',
    asNobody: true,
    make: async (d) => {
      const f = await song(d, 'locked.mp3', 660);
      await fsp.chmod(f, 0o000);
      return f;
    },
    identify: 'error',
    index: 'failed',
  });
  add({
    name: 'a file in an unreadable folder (as user nobody)',
    group: 'special files',
    asNobody: true,
    make: async (d) => {
      await fsp.mkdir(path.join(d, 'locked'));
      const f = await song(path.join(d, 'locked'), 'inside.mp3', 661);
      await fsp.chmod(path.join(d, 'locked'), 0o000);
      return f;
    },
    identify: 'error',
    index: 'failed-or-skipped',
  });
  add({
    name: 'a WAV still growing during the scan',
    group: 'special files',
    make: async (d) => {
      const f = path.join(d, 'growing.wav');
      await fsp.writeFile(f, wavBytes({ sampleRateHz: SONG_RATE, data: pcm16(synthSong(662, 2, SONG_RATE)), dataSize: 0x7ffffff0 }));
      return f;
    },
    duringIndex: (f) => growFile(f, 6),
    identify: 'error-or-no-match',
    index: 'any',
  });

  // Damaged tags and video files.
  add({
    name: 'FLAC whose Vorbis comment claims 2 GB',
    group: 'tags/video',
    make: async (d) => {
      const bytes = await fsp.readFile(await song(d, 'tagged.flac', 670));
      await fsp.rm(path.join(d, 'tagged.flac'));
      // The vendor string's 32-bit little-endian length sits just before it.
      return write(d, 'bad-tags.flac', patchAfter(bytes, 'Lavf', -4, u32(0x7ffffff0)));
    },
    identify: 'error-or-no-match',
    index: 'indexed-or-failed',
  });
  add({
    name: 'M4A whose ilst atom claims 4 GB',
    group: 'tags/video',
    make: async (d) => {
      const bytes = await fsp.readFile(await song(d, 'tagged.m4a', 671));
      await fsp.rm(path.join(d, 'tagged.m4a'));
      return write(d, 'bad-tags.m4a', patchAfter(bytes, 'ilst', -4, Buffer.from([0xff, 0xff, 0xff, 0xf0])));
    },
    identify: 'error-or-no-match',
    index: 'indexed-or-failed',
  });
  add({
    name: 'an MP3 with a 4 MB cover of random bytes',
    group: 'tags/video',
    make: async (d) => {
      const real = await fsp.readFile(await song(d, 'real.mp3', 672));
      await fsp.rm(path.join(d, 'real.mp3'));
      const pic = Buffer.concat([Buffer.from([0]), Buffer.from('image/jpeg\0'), Buffer.from([3]), Buffer.from('\0'), randomBytes(11, 4 * 1024 * 1024)]);
      const syncsafe = (n: number): Buffer => Buffer.from([(n >> 21) & 0x7f, (n >> 14) & 0x7f, (n >> 7) & 0x7f, n & 0x7f]);
      const frame = Buffer.concat([
        Buffer.from('APIC'),
        Buffer.from([pic.length >>> 24, (pic.length >> 16) & 0xff, (pic.length >> 8) & 0xff, pic.length & 0xff, 0, 0]),
        pic,
      ]);
      return write(d, 'cover.mp3', Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 3, 0, 0]), syncsafe(frame.length), frame, real]));
    },
    identify: 'no-match',
    index: 'indexed',
  });
  add({
    name: 'a video file (.mp4 with audio)',
    group: 'tags/video',
    make: (d) =>
      ffmpegLavfi([
        '-f',
        'lavfi',
        '-i',
        'testsrc=size=160x120:rate=10:duration=8',
        '-f',
        'lavfi',
        '-i',
        'sine=frequency=523:duration=8',
        '-c:v',
        'mpeg4',
        '-c:a',
        'aac',
        '-shortest',
        path.join(d, 'video.mp4'),
      ]).then(() => path.join(d, 'video.mp4')),
    identify: 'error-or-no-match',
    index: 'indexed-or-failed',
  });
  add({
    name: 'a video with no audio stream (.m4a)',
    group: 'tags/video',
    make: (d) =>
      ffmpegLavfi(['-f', 'lavfi', '-i', 'testsrc=size=160x120:rate=10:duration=5', '-c:v', 'mpeg4', '-f', 'mp4', path.join(d, 'silent-video.m4a')]).then(() =>
        path.join(d, 'silent-video.m4a'),
      ),
    identify: 'error',
    index: 'failed',
  });
  return cases;
}

/** Runs a command to completion; rejects on a non-zero exit. */
export function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} exited with ${code}`))));
  });
}

/** The ffmpeg the engine itself uses (for the report's header). */
export function ffmpegUsed(): string {
  return resolveFfmpeg().path;
}
