// Tests for decodeAudioStream / decodeAudio / decodeAudioBytes on files ffmpeg generates here (lavfi sine):
// lengths, pitch, streaming, seeking, every error code, and that cancelling really ends the ffmpeg process.
import { existsSync, promises as fsp, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { writeLavfiFile } from '../testing/synthAudio.js';
import { classifyFailure, decodeAudio, decodeAudioBytes, decodeAudioStream } from './decodeAudio.js';

const RATE = 8000;
const SINE_HZ = 440;
const SINE_SECONDS = 3;
let dir = '';
const fixture = (name: string): string => path.join(dir, name);

async function makeSine(name: string, codecArgs: string[], seconds = SINE_SECONDS, sampleRateHz = 44100): Promise<void> {
  await writeLavfiFile(`sine=frequency=${SINE_HZ}:sample_rate=${sampleRateHz}:duration=${seconds}`, codecArgs, fixture(name));
}

beforeAll(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'decode-audio-'));
  await Promise.all([
    makeSine('sine.wav', ['-c:a', 'pcm_s16le']),
    makeSine('sine.mp3', ['-c:a', 'libmp3lame', '-b:a', '128k']),
    makeSine('sine.flac', ['-c:a', 'flac']),
    makeSine('sine.ogg', ['-c:a', 'libvorbis']),
    makeSine('sine.m4a', ['-c:a', 'aac']),
    makeSine('long.m4a', ['-c:a', 'aac'], 30),
    // 10 minutes of output is ~19 MB of float32 through a 64 KB pipe: ffmpeg is still busy when the first chunk lands.
    makeSine('long.wav', ['-c:a', 'pcm_s16le'], 600, 8000),
    writeLavfiFile('testsrc=duration=1:size=32x32:rate=5', ['-c:v', 'ffv1'], fixture('video-only.mkv')),
    fsp.writeFile(fixture('text.mp3'), 'This is a shopping list, not an MP3.\nMilk\nEggs\n'.repeat(20)),
    fsp.writeFile(fixture('empty.ogg'), ''),
  ]);
  const flac = await fsp.readFile(fixture('sine.flac'));
  await fsp.writeFile(fixture('truncated.flac'), flac.subarray(0, Math.floor(flac.length * 0.6)));
  await fsp.writeFile(fixture('header-only.flac'), flac.subarray(0, 200));
}, 120_000);

afterAll(async () => {
  await fsp.rm(dir, { recursive: true, force: true });
});

/** Rising zero crossings per second over the middle of the signal. */
function zeroCrossingHz(pcm: Float32Array, sampleRateHz: number): number {
  const from = Math.floor(pcm.length * 0.1);
  const to = Math.floor(pcm.length * 0.9);
  let crossings = 0;
  for (let i = from + 1; i < to; i++) if (pcm[i - 1] < 0 && pcm[i] >= 0) crossings++;
  return crossings / ((to - from) / sampleRateHz);
}

/** Power at `hz` relative to the signal's total power (Goertzel / Parseval), 0..1. */
function relativePowerAt(pcm: Float32Array, sampleRateHz: number, hz: number): number {
  const w = (2 * Math.PI * hz) / sampleRateHz;
  let re = 0;
  let im = 0;
  let total = 0;
  for (let i = 0; i < pcm.length; i++) {
    re += pcm[i] * Math.cos(w * i);
    im -= pcm[i] * Math.sin(w * i);
    total += pcm[i] * pcm[i];
  }
  return (2 * (re * re + im * im)) / (pcm.length * total);
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const err = await promise.then(
    () => {
      throw new Error(`expected AppError(${code}), but it resolved`);
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
  return err as AppError;
}

function ffmpegPidsMentioning(text: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('ffmpeg') && cmdline.includes(text)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

describe('decodeAudio', () => {
  for (const name of ['sine.wav', 'sine.mp3', 'sine.flac', 'sine.ogg', 'sine.m4a']) {
    it(`decodes ${name} to ${RATE} Hz mono with the right length and pitch`, async () => {
      const pcm = await decodeAudio(fixture(name), { sampleRateHz: RATE });
      expect(Math.abs(pcm.length - SINE_SECONDS * RATE)).toBeLessThanOrEqual(SINE_SECONDS * RATE * 0.01);
      expect(zeroCrossingHz(pcm, RATE)).toBeGreaterThan(SINE_HZ * 0.99);
      expect(zeroCrossingHz(pcm, RATE)).toBeLessThan(SINE_HZ * 1.01);
      expect(relativePowerAt(pcm, RATE, SINE_HZ)).toBeGreaterThan(0.9);
      expect(relativePowerAt(pcm, RATE, SINE_HZ * 1.5)).toBeLessThan(0.01);
    });
  }

  it('streams chunks that concatenate to exactly what decodeAudio returns', async () => {
    const chunks: Float32Array[] = [];
    const summary = await decodeAudioStream(fixture('sine.flac'), {
      sampleRateHz: RATE,
      onChunk: (pcm) => void chunks.push(pcm),
    });
    const whole = await decodeAudio(fixture('sine.flac'), { sampleRateHz: RATE });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.byteOffset % 4 === 0 && c.length > 0)).toBe(true);
    const joined = new Float32Array(summary.sampleCount);
    let offset = 0;
    for (const c of chunks) {
      joined.set(c, offset);
      offset += c.length;
    }
    expect(summary.sampleCount).toBe(whole.length);
    expect(summary.durationSeconds).toBeCloseTo(whole.length / RATE, 9);
    expect(Buffer.from(joined.buffer).equals(Buffer.from(whole.buffer, whole.byteOffset, whole.byteLength))).toBe(true);
  });

  it('delivers large blocks, not one small write per packet (ffmpeg buffers its pipe output)', async () => {
    // 30 s of AAC is ~1300 packets, ~750 bytes each at 8 kHz; flushed one by one they would arrive as hundreds of chunks.
    let chunks = 0;
    const summary = await decodeAudioStream(fixture('long.m4a'), { sampleRateHz: RATE, onChunk: () => void chunks++ });
    expect(summary.sampleCount).toBeGreaterThan(29 * RATE);
    expect((summary.sampleCount * 4) / chunks).toBeGreaterThan(16_384);
  });

  it('honours startSeconds and maxSeconds', async () => {
    const pcm = await decodeAudio(fixture('sine.flac'), { sampleRateHz: RATE, startSeconds: 1, maxSeconds: 1.5 });
    expect(pcm.length).toBe(1.5 * RATE);
    const tail = await decodeAudio(fixture('sine.flac'), { sampleRateHz: RATE, startSeconds: 2 });
    expect(Math.abs(tail.length - RATE)).toBeLessThanOrEqual(RATE * 0.01);
    expect(await decodeAudio(fixture('sine.flac'), { sampleRateHz: RATE, maxSeconds: 0 })).toHaveLength(0);
    expect(await decodeAudio(fixture('sine.flac'), { sampleRateHz: RATE, startSeconds: 60 })).toHaveLength(0);
  });

  it('stops ffmpeg once maxSeconds of a long file have come out', async () => {
    // Of 10 minutes, exactly 2 s reach the consumer, and no ffmpeg is left decoding the rest when the call answers.
    let delivered = 0;
    const summary = await decodeAudioStream(fixture('long.wav'), { sampleRateHz: RATE, maxSeconds: 2, onChunk: (pcm) => void (delivered += pcm.length) });
    expect(summary.sampleCount).toBe(2 * RATE);
    expect(delivered).toBe(2 * RATE);
    expect(ffmpegPidsMentioning(fixture('long.wav'))).toEqual([]);
    expect(await decodeAudio(fixture('long.wav'), { sampleRateHz: RATE, maxSeconds: 2 })).toHaveLength(2 * RATE);
  });

  it('decodes other sample rates', async () => {
    const pcm = await decodeAudio(fixture('sine.ogg'), { sampleRateHz: 22050 });
    expect(Math.abs(pcm.length - SINE_SECONDS * 22050)).toBeLessThanOrEqual(SINE_SECONDS * 22050 * 0.01);
    expect(zeroCrossingHz(pcm, 22050)).toBeCloseTo(SINE_HZ, -1);
  });
});

describe('decodeAudioBytes', () => {
  for (const name of ['sine.ogg', 'sine.mp3', 'sine.wav', 'long.m4a']) {
    it(`decodes ${name} fed on stdin`, async () => {
      const bytes = new Uint8Array(await fsp.readFile(fixture(name)));
      const seconds = name === 'long.m4a' ? 30 : SINE_SECONDS;
      const pcm = await decodeAudioBytes(bytes, { sampleRateHz: RATE });
      expect(Math.abs(pcm.length - seconds * RATE)).toBeLessThanOrEqual(seconds * RATE * 0.01);
      expect(zeroCrossingHz(pcm, RATE)).toBeCloseTo(SINE_HZ, -1);
    });
  }

  it('stops early with maxSeconds without an EPIPE escaping', async () => {
    const bytes = new Uint8Array(await fsp.readFile(fixture('long.wav')));
    const pcm = await decodeAudioBytes(bytes, { sampleRateHz: RATE, maxSeconds: 1 });
    expect(pcm.length).toBe(RATE);
  });

  it('rejects bytes that are not media, and empty bytes, as unsupported-format', async () => {
    await expectAppError(decodeAudioBytes(new TextEncoder().encode('hello '.repeat(500)), { sampleRateHz: RATE }), 'unsupported-format');
    await expectAppError(decodeAudioBytes(new Uint8Array(0), { sampleRateHz: RATE }), 'unsupported-format');
  });
});

describe('decode errors', () => {
  it('a missing file is not-found', async () => {
    await expectAppError(decodeAudio(fixture('nope.mp3'), { sampleRateHz: RATE }), 'not-found');
  });

  it('a text file named .mp3 is unsupported-format (ffmpeg cannot open it as media)', async () => {
    const err = await expectAppError(decodeAudio(fixture('text.mp3'), { sampleRateHz: RATE }), 'unsupported-format');
    expect(err.detail).toMatch(/ffmpeg exited with code 1/);
  });

  it('an empty file and a directory are unsupported-format', async () => {
    await expectAppError(decodeAudio(fixture('empty.ogg'), { sampleRateHz: RATE }), 'unsupported-format');
    await expectAppError(decodeAudio(dir, { sampleRateHz: RATE }), 'unsupported-format');
  });

  it('a file without an audio stream is unsupported-format', async () => {
    const err = await expectAppError(decodeAudio(fixture('video-only.mkv'), { sampleRateHz: RATE }), 'unsupported-format');
    expect(err.detail).toContain('matches no streams');
  });

  it('a truncated flac decodes what is there without crashing', async () => {
    const pcm = await decodeAudio(fixture('truncated.flac'), { sampleRateHz: RATE });
    expect(pcm.length).toBeGreaterThan(0);
    expect(pcm.length).toBeLessThan(SINE_SECONDS * RATE);
  });

  it('a flac cut inside its header is decode-failed, not unsupported-format', async () => {
    const err = await expectAppError(decodeAudio(fixture('header-only.flac'), { sampleRateHz: RATE }), 'decode-failed');
    expect(err.detail).toContain('End of file');
  });

  it('an unreadable file is permission-denied (or readable when running as root)', async () => {
    const locked = fixture('locked.flac');
    await fsp.copyFile(fixture('sine.flac'), locked);
    await fsp.chmod(locked, 0o000);
    let readableAnyway = true;
    try {
      readFileSync(locked);
    } catch {
      readableAnyway = false;
    }
    if (readableAnyway) {
      // root (CAP_DAC_OVERRIDE) ignores the mode bits: the decode simply works.
      expect((await decodeAudio(locked, { sampleRateHz: RATE })).length).toBeGreaterThan(0);
    } else {
      await expectAppError(decodeAudio(locked, { sampleRateHz: RATE }), 'permission-denied');
    }
  });

  it('rejects bad options as invalid-argument', async () => {
    await expectAppError(decodeAudio(fixture('sine.ogg'), { sampleRateHz: 0 }), 'invalid-argument');
    await expectAppError(decodeAudio(fixture('sine.ogg'), { sampleRateHz: 8000.5 }), 'invalid-argument');
    await expectAppError(decodeAudio(fixture('sine.ogg'), { sampleRateHz: RATE, startSeconds: -1 }), 'invalid-argument');
  });

  it('classifies ffmpeg 7 style open errors too', () => {
    const stderr = '[in#0 @ 0x1] Error opening input: Invalid data found when processing input\nError opening input file x.\n';
    expect(classifyFailure(stderr, 'file:/x')).toBe('unsupported-format');
    expect(classifyFailure('[in#0 @ 0x1] Error opening input: Permission denied\n', 'file:/x')).toBe('permission-denied');
    expect(classifyFailure('[flac @ 0x2] invalid residual\n', 'file:/x')).toBe('decode-failed');
  });
});

describe('a consumer that falls behind', () => {
  it('holds the decode while the promise it returned is pending: no block comes meanwhile, and all of it after', async () => {
    let release: () => void = () => undefined;
    let pending = false;
    let whilePending = 0;
    let delivered = 0;
    let blocks = 0;
    const summary = await decodeAudioStream(fixture('long.wav'), {
      sampleRateHz: RATE,
      onChunk: (pcm) => {
        if (pending) whilePending++;
        delivered += pcm.length;
        blocks++;
        if (blocks !== 2) return;
        // Held on the second block for long enough that ffmpeg would have written the rest (19 MB) meanwhile.
        pending = true;
        return new Promise<void>((resolve) => {
          release = () => {
            pending = false;
            resolve();
          };
          setTimeout(() => release(), 300);
        });
      },
    });
    expect(whilePending).toBe(0);
    expect(blocks).toBeGreaterThan(2);
    expect(delivered).toBe(600 * RATE);
    expect(summary.sampleCount).toBe(600 * RATE);
  });

  it('a rejected promise stops the decode with its error, and ffmpeg is gone', async () => {
    const full = new Error('consumer is full');
    const promise = decodeAudioStream(fixture('long.wav'), { sampleRateHz: RATE, onChunk: () => Promise.reject(full) });
    await expect(promise).rejects.toBe(full);
    expect(ffmpegPidsMentioning(fixture('long.wav'))).toEqual([]);
  });

  it('aborting while held rejects with cancelled, and ffmpeg is gone', async () => {
    const controller = new AbortController();
    const promise = decodeAudioStream(fixture('long.wav'), {
      sampleRateHz: RATE,
      signal: controller.signal,
      onChunk: () => {
        setTimeout(() => controller.abort(), 50);
        return new Promise<void>(() => undefined); // never settles
      },
    });
    await expectAppError(promise, 'cancelled');
    expect(ffmpegPidsMentioning(fixture('long.wav'))).toEqual([]);
  });
});

describe('cancellation', () => {
  it('aborting mid-decode rejects with cancelled and the ffmpeg process is gone', async () => {
    const controller = new AbortController();
    let pids: number[] = [];
    let chunkCount = 0;
    const promise = decodeAudioStream(fixture('long.wav'), {
      sampleRateHz: RATE,
      signal: controller.signal,
      onChunk: () => {
        chunkCount++;
        if (chunkCount === 1) {
          pids = ffmpegPidsMentioning(fixture('long.wav'));
          controller.abort();
        }
      },
    });
    await expectAppError(promise, 'cancelled');
    expect(chunkCount).toBe(1);
    expect(pids.length).toBe(1);
    expect(existsSync(`/proc/${pids[0]}`)).toBe(false);
    expect(ffmpegPidsMentioning(fixture('long.wav'))).toEqual([]);
  });

  it('an already-aborted signal rejects without starting ffmpeg', async () => {
    const controller = new AbortController();
    controller.abort();
    await expectAppError(decodeAudio(fixture('sine.ogg'), { sampleRateHz: RATE, signal: controller.signal }), 'cancelled');
  });

  it('a consumer that throws stops the decode with its own error', async () => {
    const boom = new Error('consumer is full');
    const promise = decodeAudioStream(fixture('long.wav'), {
      sampleRateHz: RATE,
      onChunk: () => {
        throw boom;
      },
    });
    await expect(promise).rejects.toBe(boom);
    expect(ffmpegPidsMentioning(fixture('long.wav'))).toEqual([]);
  });
});
