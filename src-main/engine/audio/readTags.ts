// Reads a file's tags, stream format and cover art with music-metadata (no decoding, no ffmpeg). Corrupt tags never
// throw (nulls + `tagError`); only a missing or unreadable file throws (AppError 'not-found' / 'permission-denied').
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { parseFile, selectCover, type IAudioMetadata } from 'music-metadata';
import { AppError } from '../errors.js';
import { statRegularFile } from './regularFile.js';

/**
 * Which fields of AudioInfo the catalog stores; bump it when it stores a new one, and the next scan reads the tags of
 * every track written by an older reader again (hash + tags, no fingerprinting). 1: disc and track numbers, album
 * artist (migration 0060).
 */
export const TAGS_VERSION = 1;

export interface AudioInfo {
  readonly title: string | null;
  readonly artist: string | null;
  readonly album: string | null;
  readonly albumArtist: string | null;
  /** 1-based track number within its disc, as tagged. */
  readonly trackNumber: number | null;
  /** 1-based disc number, as tagged ("2/3" gives 2). */
  readonly discNumber: number | null;
  /** Several genres are joined with "; ". */
  readonly genre: string | null;
  /** Seconds, from headers only (may be null or approximate for VBR files without a header). */
  readonly durationSeconds: number | null;
  readonly sampleRateHz: number | null;
  readonly channelCount: number | null;
  /** Bits per second, as the container reports it. */
  readonly bitrate: number | null;
  /** Short lowercase codec/container name: mp3, mp2, aac, m4a, alac, flac, ogg, opus, wav, aiff, wma, webm, mka, ... */
  readonly format: string;
  /** Whether any embedded picture was found. */
  readonly hasPicture: boolean;
  /** Why tags could not be read; absent when they were. */
  readonly tagError?: string;
}

export interface Artwork {
  /** e.g. "image/jpeg", "image/png". */
  readonly mime: string;
  readonly data: Uint8Array;
}

/**
 * Tags and format of one audio file. Covers are parsed (not skipped) so that `hasPicture` is truthful:
 * music-metadata's skipCovers drops picture frames entirely, leaving no trace of them.
 */
export async function readAudioInfo(filePath: string): Promise<AudioInfo> {
  await checkReadableFile(filePath);
  let metadata: IAudioMetadata;
  try {
    metadata = await parseFile(filePath, { duration: false, skipCovers: false });
  } catch (err) {
    return {
      title: null,
      artist: null,
      album: null,
      albumArtist: null,
      trackNumber: null,
      discNumber: null,
      genre: null,
      durationSeconds: null,
      sampleRateHz: null,
      channelCount: null,
      bitrate: null,
      format: extensionFormat(filePath),
      hasPicture: false,
      tagError: err instanceof Error ? err.message : String(err),
    };
  }
  const { common, format } = metadata;
  return {
    title: cleanText(common.title),
    artist: cleanText(common.artist) ?? cleanText(common.artists?.join('; ')),
    album: cleanText(common.album),
    albumArtist: cleanText(common.albumartist),
    trackNumber: positiveIntegerOrNull(common.track?.no),
    discNumber: positiveIntegerOrNull(common.disk?.no),
    genre: cleanText(common.genre?.join('; ')),
    durationSeconds: positiveNumberOrNull(format.duration),
    sampleRateHz: positiveNumberOrNull(format.sampleRate),
    channelCount: positiveIntegerOrNull(format.numberOfChannels),
    bitrate: positiveNumberOrNull(format.bitrate === undefined ? undefined : Math.round(format.bitrate)),
    format: shortFormatName(format.container, format.codec) ?? extensionFormat(filePath),
    hasPicture: (common.picture?.length ?? 0) > 0,
  };
}

/** The front cover (else the first picture) embedded in the file, or null when there is none or tags are unreadable. */
export async function readArtwork(filePath: string): Promise<Artwork | null> {
  await checkReadableFile(filePath);
  let metadata: IAudioMetadata;
  try {
    metadata = await parseFile(filePath, { duration: false, skipCovers: false });
  } catch {
    return null;
  }
  const picture = selectCover(metadata.common.picture);
  if (!picture || picture.data.length === 0) return null;
  const mime = picture.format.includes('/') ? picture.format.toLowerCase() : `image/${picture.format.toLowerCase()}`;
  return { mime: mime === 'image/jpg' ? 'image/jpeg' : mime, data: new Uint8Array(picture.data) };
}

async function checkReadableFile(filePath: string): Promise<void> {
  await statRegularFile(filePath); // never open a FIFO: that blocks until a writer comes
  try {
    const handle = await fsp.open(filePath, 'r');
    await handle.close();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new AppError('not-found', filePath, { cause: err });
    if (code === 'EACCES' || code === 'EPERM') throw new AppError('permission-denied', filePath, { cause: err });
    if (code === 'EISDIR') throw new AppError('unsupported-format', `${filePath} is a directory`, { cause: err });
    throw err;
  }
}

/** Maps music-metadata's container/codec names to the short names the UI shows; undefined when unknown. */
export function shortFormatName(container: string | undefined, codec: string | undefined): string | undefined {
  const c = (container ?? '').toLowerCase();
  const k = (codec ?? '').toLowerCase();
  if (c === 'mpeg') return k.includes('layer 2') ? 'mp2' : k.includes('layer 1') ? 'mp1' : 'mp3';
  if (c.startsWith('adts')) return 'aac';
  if (c === 'flac') return 'flac';
  if (c === 'ogg') return k.includes('opus') ? 'opus' : 'ogg';
  if (c.startsWith('ebml/')) return c === 'ebml/webm' ? 'webm' : 'mka';
  if (c === 'wave' || c === 'rf64' || c === 'wav') return 'wav';
  if (c.startsWith('aiff')) return 'aiff';
  if (c.startsWith('asf')) return 'wma';
  if (c === 'wavpack') return 'wv';
  if (c.startsWith('musepack')) return 'mpc';
  if (c === "monkey's audio") return 'ape';
  if (c === 'dsf') return 'dsf';
  if (c.startsWith('dsdiff')) return 'dff';
  // MP4 brands: "M4A/isom/iso2", "isom/iso2/mp41", "M4B/...".
  if (/(^|\/)(m4a|m4b|m4p|mp4\d?|isom|iso\d|mp41|mp42|dash|f4a)\b/.test(c)) return k.includes('alac') ? 'alac' : 'm4a';
  return undefined;
}

function extensionFormat(filePath: string): string {
  const ext = path.extname(filePath).slice(1).toLowerCase();
  return ext === '' ? 'unknown' : ext;
}

function cleanText(value: string | undefined | null): string | null {
  if (typeof value !== 'string') return null;
  // Some taggers leave NUL padding; strip it along with whitespace.
  const trimmed = value.replace(/\0+$/g, '').trim();
  return trimmed === '' ? null : trimmed;
}

function positiveNumberOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

function positiveIntegerOrNull(value: number | undefined | null): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : null;
}
