// Where the e2e run keeps its generated music, clips and the running host's address, and the Chromium flags
// (Debian Chromium, fake microphone fed from a WAV). Paths are fixed so spec files can name clips at load time.
import os from 'node:os';
import path from 'node:path';

/** Bump when the generated fixtures change: a new folder is generated, the old one is ignored. */
export const FIXTURE_VERSION = 'v3';
export const E2E_ROOT = path.join(os.tmpdir(), 'audio-ident-e2e');
export const FIXTURE_DIR = path.join(E2E_ROOT, `fixtures-${FIXTURE_VERSION}`);
export const MUSIC_DIR = path.join(FIXTURE_DIR, 'music');
export const CLIP_DIR = path.join(FIXTURE_DIR, 'clips');
/** Written by globalSetup: { url, token, origin, dataDir, pid }. */
export const HOST_INFO_PATH = path.join(E2E_ROOT, 'host.json');

/** The library the tests generate: relative path, synth seed, tags (null: plain WAV without tags). */
export const SONGS = [
  { file: 'The Synthetics/First Light/01 Alpha.mp3', seed: 11, title: 'Alpha', artist: 'The Synthetics', album: 'First Light' },
  { file: 'The Synthetics/First Light/02 Beta.flac', seed: 12, title: 'Beta', artist: 'The Synthetics', album: 'First Light', cover: true },
  { file: 'Solo Voice/Gamma.ogg', seed: 13, title: 'Gamma', artist: 'Solo Voice', album: 'Evenings' },
  { file: 'Delta.wav', seed: 14, title: 'Delta', artist: null, album: null },
  { file: 'Various/Epsilon.mp3', seed: 15, title: 'Epsilon', artist: 'Quartet Nine', album: 'Loops' },
] as const;
export const SONG_SECONDS = 80;
export const SONG_RATE_HZ = 22_050;
export const CORRUPT_FILE = 'broken.mp3';

/** Clips: Beta from 1:00 with noise (the microphone), a song not in the library, and files to drop or pick. */
export const CLIPS = {
  micBeta: { file: 'mic-beta-from-1m00-noisy.wav', song: 'Beta', startSeconds: 60, seconds: 12 },
  micUnknown: { file: 'mic-not-in-library.wav', seed: 999, startSeconds: 20, seconds: 12 },
  dropGamma: { file: 'drop-gamma-from-0m30.wav', song: 'Gamma', startSeconds: 30, seconds: 10 },
  pickEpsilon: { file: 'pick-epsilon-from-0m45.mp3', song: 'Epsilon', startSeconds: 45, seconds: 10 },
} as const;

/** A 100 s recording of three library songs back to back (hard cuts, light noise): the Tracklist view's input. */
export const MIX = {
  file: 'mix-alpha-gamma-epsilon.wav',
  parts: [
    { song: 'Alpha', startSeconds: 10, seconds: 33 },
    { song: 'Gamma', startSeconds: 20, seconds: 33 },
    { song: 'Epsilon', startSeconds: 5, seconds: 34 },
  ],
} as const;

/**
 * Keep listening's room: two library songs (35 s each) and then 30 s of a song not in the library, light noise; the
 * fake microphone plays it from the start (and loops it after 100 s, by which time the spec has switched off).
 */
export const ROOM = {
  file: 'room-gamma-delta-unknown.wav',
  parts: [
    { song: 'Gamma', startSeconds: 5, seconds: 35 },
    { song: 'Delta', startSeconds: 20, seconds: 35 },
  ],
  unknown: { seed: 998, seconds: 30 },
} as const;

export const clipPath = (file: string): string => path.join(CLIP_DIR, file);

/** Chromium flags from ../shared/STACK.md, plus autoplay for Play from here. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--autoplay-policy=no-user-gesture-required',
];

/** Launch options whose fake microphone plays `wavPath` (16-bit WAV; it loops). */
export function micLaunchOptions(wavPath: string) {
  return {
    executablePath: '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wavPath}`],
  };
}
