// Tests for resolveFfmpeg: the FFMPEG_PATH -> ffmpeg-static -> PATH order, probing, and the ffmpeg-missing report.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { resolveFfmpeg } from './ffmpegPath.js';

const tempDir = mkdtempSync(path.join(os.tmpdir(), 'ffmpeg-path-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

const noStatic = {
  loadFfmpegStatic: (): string | null => {
    throw Object.assign(new Error('nope'), { code: 'MODULE_NOT_FOUND' });
  },
};

function catchAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected an AppError');
}

describe('resolveFfmpeg', () => {
  it('finds a working ffmpeg with the real environment', () => {
    const found = resolveFfmpeg();
    expect(['FFMPEG_PATH', 'ffmpeg-static', 'PATH']).toContain(found.source);
    expect(path.isAbsolute(found.path)).toBe(true);
  });

  it('prefers FFMPEG_PATH when it works', () => {
    const onPath = resolveFfmpeg({ PATH: process.env.PATH }, noStatic);
    expect(onPath.source).toBe('PATH');
    const found = resolveFfmpeg({ FFMPEG_PATH: onPath.path, PATH: '' }, noStatic);
    expect(found).toEqual({ path: onPath.path, source: 'FFMPEG_PATH' });
  });

  it('falls back to PATH when FFMPEG_PATH is bogus and ffmpeg-static is absent', () => {
    const found = resolveFfmpeg({ FFMPEG_PATH: path.join(tempDir, 'no-such-ffmpeg'), PATH: process.env.PATH }, noStatic);
    expect(found.source).toBe('PATH');
  });

  it('falls back past a bogus FFMPEG_PATH with the real ffmpeg-static loader too', () => {
    const found = resolveFfmpeg({ FFMPEG_PATH: path.join(tempDir, 'no-such-ffmpeg'), PATH: process.env.PATH });
    expect(found.source).not.toBe('FFMPEG_PATH');
  });

  it('rejects a file that exists but is not a working ffmpeg', () => {
    const fake = path.join(tempDir, 'fake-ffmpeg');
    writeFileSync(fake, '#!/bin/sh\nexit 3\n');
    chmodSync(fake, 0o755);
    const found = resolveFfmpeg({ FFMPEG_PATH: fake, PATH: process.env.PATH }, noStatic);
    expect(found.source).toBe('PATH');
    const err = catchAppError(() => resolveFfmpeg({ FFMPEG_PATH: fake, PATH: '' }, noStatic));
    expect(err.detail).toContain('exited with 3');
  });

  it('uses ffmpeg-static when FFMPEG_PATH is unset and the package yields a working binary', () => {
    const real = resolveFfmpeg({ PATH: process.env.PATH }, noStatic).path;
    const found = resolveFfmpeg({ PATH: '' }, { loadFfmpegStatic: () => real });
    expect(found).toEqual({ path: real, source: 'ffmpeg-static' });
  });

  it('throws ffmpeg-missing naming all three options when none works', () => {
    const err = catchAppError(() => resolveFfmpeg({ FFMPEG_PATH: path.join(tempDir, 'bogus'), PATH: '' }, noStatic));
    expect(err.code).toBe('ffmpeg-missing');
    expect(err.detail).toMatch(/FFMPEG_PATH: .*bogus does not exist/);
    expect(err.detail).toContain('ffmpeg-static: package not installed');
    expect(err.detail).toContain('PATH: no ffmpeg found on PATH');
  });

  it('reports a broken ffmpeg-static binary', () => {
    const err = catchAppError(() => resolveFfmpeg({ PATH: tempDir }, { loadFfmpegStatic: () => path.join(tempDir, 'static-ffmpeg') }));
    expect(err.code).toBe('ffmpeg-missing');
    expect(err.detail).toContain('FFMPEG_PATH: not set');
    expect(err.detail).toMatch(/ffmpeg-static: .*static-ffmpeg does not exist/);
  });
});
