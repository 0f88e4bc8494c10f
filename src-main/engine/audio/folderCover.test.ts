// The cover beside a track: preferred names first, image types by their bytes, nothing for folders, FIFOs, fakes.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageMime, rankCoverFiles, readFolderCover } from './folderCover.js';

const JPEG = Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3]);
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 9]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'folder-cover-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('rankCoverFiles', () => {
  it('keeps cover-like names only, best first', () => {
    expect(rankCoverFiles(['01 Song.mp3', 'Folder.JPG', 'back.jpg', 'cover.png', 'cover.jpg', 'front.webp', 'cover.txt'])).toEqual([
      'cover.jpg',
      'cover.png',
      'Folder.JPG',
      'front.webp',
    ]);
  });
});

describe('imageMime', () => {
  it('knows JPEG, PNG, GIF and WebP by their first bytes', () => {
    expect(imageMime(JPEG)).toBe('image/jpeg');
    expect(imageMime(PNG)).toBe('image/png');
    expect(imageMime(new TextEncoder().encode('GIF89a...'))).toBe('image/gif');
    expect(imageMime(new TextEncoder().encode('RIFF\0\0\0\0WEBPVP8 '))).toBe('image/webp');
    expect(imageMime(new TextEncoder().encode('RIFF\0\0\0\0WAVEfmt '))).toBeNull();
    expect(imageMime(new TextEncoder().encode('<svg/>'))).toBeNull();
  });
});

describe('readFolderCover', () => {
  it('reads folder.jpg beside the track, and prefers cover.* when both are there', async () => {
    writeFileSync(path.join(dir, 'folder.jpg'), JPEG);
    expect(await readFolderCover(path.join(dir, 'song.mp3'))).toEqual({ mime: 'image/jpeg', data: JPEG });
    writeFileSync(path.join(dir, 'Cover.png'), PNG);
    expect(await readFolderCover(path.join(dir, 'song.mp3'))).toEqual({ mime: 'image/png', data: PNG });
  });

  it('gives null without a cover, for a non-image named cover.jpg (trying the next name), a folder or a FIFO', async () => {
    expect(await readFolderCover(path.join(dir, 'song.mp3'))).toBeNull();
    writeFileSync(path.join(dir, 'cover.jpg'), 'not an image');
    mkdirSync(path.join(dir, 'cover.png'));
    expect(await readFolderCover(path.join(dir, 'song.mp3'))).toBeNull();
    execFileSync('mkfifo', [path.join(dir, 'folder.jpg')]);
    expect(await readFolderCover(path.join(dir, 'song.mp3'))).toBeNull();
    writeFileSync(path.join(dir, 'front.jpg'), JPEG);
    expect(await readFolderCover(path.join(dir, 'song.mp3'))).toEqual({ mime: 'image/jpeg', data: JPEG });
    expect(await readFolderCover(path.join(dir, 'missing-dir', 'song.mp3'))).toBeNull();
  });
});
