// Helpers for the LibraryService tests: unwrap a Result, wait for an event or for a scan to settle, and the small
// music folder most of them scan (two tagged songs, one in a sub-folder, a file that is not audio, and a third song
// kept outside to copy in later). For tests only; no test framework.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LibraryEventName, LibraryEvents } from '../../../src-preload/contract/api.js';
import type { Result } from '../../../src-preload/contract/library.js';
import { inProcessRunners } from '../libraryEngine.js';
import { LibraryService } from '../libraryService.js';
import type { LibraryServiceOptions } from '../service/serviceOptions.js';
import { synthSong, writeSongFile, writeWav } from './synthAudio.js';

/** The sample rate of the songs writeServiceMusic makes. */
export const SERVICE_MUSIC_RATE = 22050;

/** The value of an ok Result; throws with the error's code and detail otherwise. */
export function ok<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.detail}`);
  return result.value;
}

/** The next `event` (whose payload passes `until`), or a rejection after `timeoutMs`. */
export function nextEvent<E extends LibraryEventName>(
  service: LibraryService,
  event: E,
  until: (payload: LibraryEvents[E]) => boolean = () => true,
  timeoutMs = 60_000,
): Promise<LibraryEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const off = service.on(event, (payload) => {
      if (!until(payload)) return;
      clearTimeout(timer);
      off();
      resolve(payload);
    });
  });
}

/** Resolves at the first statusChanged after the next scanFinished that shows no scan running, with the summary. */
export function scanSettled(
  service: LibraryService,
  timeoutMs = 30_000,
): Promise<{ summary: LibraryEvents['scanFinished']; status: LibraryEvents['statusChanged'] }> {
  return new Promise((resolve, reject) => {
    let summary: LibraryEvents['scanFinished'] | undefined;
    const timer = setTimeout(() => (offs.forEach((off) => off()), reject(new Error(`no settled scan within ${timeoutMs} ms`))), timeoutMs);
    const offs = [
      service.on('scanFinished', (s) => (summary = s)),
      service.on('statusChanged', (status) => {
        if (summary === undefined || status.scan !== null) return;
        clearTimeout(timer);
        offs.forEach((off) => off());
        resolve({ summary, status });
      }),
    ];
  });
}

export interface ServiceMusic {
  /** The folder to add: album/one.flac ('One' by 'Synth A'), two.mp3 ('Two' by 'Synth B'), broken.mp3 (not audio). */
  readonly music: string;
  /** <root>/later.wav, untagged, outside the music folder (a test copies it in). */
  readonly later: string;
  /** The PCM of one, two and later, at SERVICE_MUSIC_RATE, 40 s each. */
  readonly songs: readonly [Float32Array, Float32Array, Float32Array];
}

/** Writes the service tests' music under `root` (a few seconds: three songs encoded by ffmpeg). */
export async function writeServiceMusic(root: string): Promise<ServiceMusic> {
  const music = path.join(root, 'music');
  mkdirSync(path.join(music, 'album'), { recursive: true });
  const later = path.join(root, 'later.wav');
  const songs = [
    await writeSongFile(path.join(music, 'album', 'one.flac'), 101, 40, { title: 'One', artist: 'Synth A' }),
    await writeSongFile(path.join(music, 'two.mp3'), 102, 40, { title: 'Two', artist: 'Synth B' }),
    await writeSongFile(later, 103, 40),
  ] as const;
  writeFileSync(path.join(music, 'broken.mp3'), 'this is not audio');
  return { music, later, songs };
}

/**
 * Two generated songs of 60 s, "One" and "Two" (seeds `seeds`), written as ROOT/music/One.wav and Two.wav at `rate`,
 * and a service over that folder (one in-process runner, no watcher, no vibe model unless `options` says otherwise)
 * whose first scan is done. The listening and tracklist tests' library.
 */
export async function openTwoSongService(
  root: string,
  seeds: readonly [number, number],
  rate: number,
  options: Partial<LibraryServiceOptions> = {},
): Promise<{ service: LibraryService; one: Float32Array; two: Float32Array }> {
  const music = path.join(root, 'music');
  mkdirSync(music, { recursive: true });
  const one = synthSong(seeds[0], 60, rate);
  const two = synthSong(seeds[1], 60, rate);
  await writeWav(path.join(music, 'One.wav'), one, rate);
  await writeWav(path.join(music, 'Two.wav'), two, rate);
  const service = await LibraryService.open({
    dataDir: path.join(root, 'data'),
    runners: inProcessRunners(1),
    watch: false,
    embedderManifest: null,
    log: () => {},
    ...options,
  });
  await addFolderScanned(service, music);
  return { service, one, two };
}

/** Adds `folder` to the service's library and resolves when the scan it starts has finished. */
export async function addFolderScanned(service: LibraryService, folder: string): Promise<void> {
  const scanned = nextEvent(service, 'scanFinished');
  ok(await service.addFolder(folder));
  await scanned;
}
