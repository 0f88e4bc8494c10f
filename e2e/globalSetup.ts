// Playwright global setup: generates the test library (synthetic songs >= 75 s in wav/flac/mp3/ogg, one with a
// cover, plus a corrupt file), the clips, a 100 s mix of three of the songs and Keep listening's 100 s room once per
// FIXTURE_VERSION, then starts the real browser host
// (`audio-ident serve`) on a fresh data folder and writes its URL and token to HOST_INFO_PATH. Returns the teardown.
// E2E_HOST_URL=<url printed by a running host> uses that host instead of starting one.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, promises as fsp, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CLIP_DIR,
  CLIPS,
  CORRUPT_FILE,
  E2E_ROOT,
  FIXTURE_DIR,
  HOST_INFO_PATH,
  MIX,
  MUSIC_DIR,
  ROOM,
  SONG_RATE_HZ,
  SONG_SECONDS,
  SONGS,
  clipPath,
} from './support/paths.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SYNTH_JS = path.join(REPO_ROOT, 'out/src-main/engine/testing/synthAudio.js');
const RENDERER_INDEX = path.join(REPO_ROOT, 'out/renderer/index.html');
const READY_LINE = /audio-ident is running at (http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/;
const HOST_START_TIMEOUT_MS = 60_000;

type Synth = typeof import('../src-main/engine/testing/synthAudio.js');

async function generateFixtures(): Promise<void> {
  const stamp = path.join(FIXTURE_DIR, '.complete');
  if (existsSync(stamp)) return;
  const synth = (await import(SYNTH_JS)) as Synth;
  rmSync(FIXTURE_DIR, { recursive: true, force: true });
  await fsp.mkdir(MUSIC_DIR, { recursive: true });
  await fsp.mkdir(CLIP_DIR, { recursive: true });

  const cover = path.join(FIXTURE_DIR, 'cover.png');
  await synth.runFfmpegTool([
    '-nostdin',
    '-loglevel',
    'error',
    '-y',
    '-f',
    'lavfi',
    '-i',
    'gradients=s=320x320:c0=0x3d5afe:c1=0xe5484d:seed=7',
    '-frames:v',
    '1',
    cover,
  ]);

  const pcmBySong = new Map<string, Float32Array>();
  for (const song of SONGS) {
    const target = path.join(MUSIC_DIR, song.file);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    const tags: Record<string, string> | undefined = song.artist === null ? undefined : { title: song.title, artist: song.artist, album: song.album ?? '' };
    const pcm = await synth.writeSongFile(target, song.seed, SONG_SECONDS, tags, {
      sampleRateHz: SONG_RATE_HZ,
      coverPath: 'cover' in song && song.cover ? cover : undefined,
    });
    pcmBySong.set(song.title, pcm);
  }
  await fsp.writeFile(path.join(MUSIC_DIR, CORRUPT_FILE), 'ID3 this is not really an mp3, just text with a misleading name\n');

  const cut = (title: string, startSeconds: number, seconds: number) => synth.cutClip(pcmBySong.get(title)!, SONG_RATE_HZ, startSeconds, seconds);
  // The microphone: Beta from 1:00, with noise at 10 dB SNR and a small-speaker band limit. 16-bit WAV (Chromium's fake capture needs it).
  const mic = CLIPS.micBeta;
  await synth.writeWav(
    clipPath(mic.file),
    synth.bandLimit(synth.addNoise(cut(mic.song, mic.startSeconds, mic.seconds), 10, 5), SONG_RATE_HZ, 150, 6000),
    SONG_RATE_HZ,
    16,
  );
  const unknown = CLIPS.micUnknown;
  const unknownPcm = synth.cutClip(
    synth.synthSong(unknown.seed, unknown.startSeconds + unknown.seconds, SONG_RATE_HZ),
    SONG_RATE_HZ,
    unknown.startSeconds,
    unknown.seconds,
  );
  await synth.writeWav(clipPath(unknown.file), synth.addNoise(unknownPcm, 20, 6), SONG_RATE_HZ, 16);
  const drop = CLIPS.dropGamma;
  await synth.writeWav(clipPath(drop.file), synth.addNoise(cut(drop.song, drop.startSeconds, drop.seconds), 15, 8), SONG_RATE_HZ, 16);
  const pick = CLIPS.pickEpsilon;
  const pickWav = path.join(FIXTURE_DIR, 'pick.wav');
  await synth.writeWav(pickWav, cut(pick.song, pick.startSeconds, pick.seconds), SONG_RATE_HZ, 16);
  await synth.encodeAudio(pickWav, clipPath(pick.file));
  // The mix: three songs back to back, hard cuts, light noise (16-bit WAV, about 4.4 MB).
  const parts = MIX.parts.map((p) => cut(p.song, p.startSeconds, p.seconds));
  const mix = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  parts.reduce((at, p) => (mix.set(p, at), at + p.length), 0);
  await synth.writeWav(clipPath(MIX.file), synth.addNoise(mix, 25, 9), SONG_RATE_HZ, 16);
  // Keep listening's room: two songs back to back, then a song not in the library (16-bit WAV for the fake microphone).
  const roomParts = [...ROOM.parts.map((p) => cut(p.song, p.startSeconds, p.seconds)), synth.synthSong(ROOM.unknown.seed, ROOM.unknown.seconds, SONG_RATE_HZ)];
  const room = new Float32Array(roomParts.reduce((n, p) => n + p.length, 0));
  roomParts.reduce((at, p) => (room.set(p, at), at + p.length), 0);
  await synth.writeWav(clipPath(ROOM.file), synth.addNoise(room, 20, 10), SONG_RATE_HZ, 16);
  await fsp.writeFile(stamp, new Date().toISOString());
}

function startHost(dataDir: string, logPath: string): Promise<{ child: ChildProcess; url: string; token: string; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/audio-ident.js'), 'serve', '--data', dataDir, '--port', '0'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test' },
    });
    let stdout = '';
    let log = '';
    const timer = setTimeout(() => fail(new Error(`audio-ident serve did not print its URL within ${HOST_START_TIMEOUT_MS} ms`)), HOST_START_TIMEOUT_MS);
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      writeFileSync(logPath, log);
      reject(new Error(`${error.message}\n--- host output ---\n${log.slice(-4000)}`));
    };
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
      log += chunk;
      const match = READY_LINE.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], port: Number(match[2]), token: decodeURIComponent(match[3]) });
      }
    });
    child.stderr.on('data', (chunk: string) => (log += chunk));
    child.on('exit', (code, signal) => {
      writeFileSync(logPath, log);
      fail(new Error(`audio-ident serve exited early (code ${code}, signal ${signal})`));
    });
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  for (const [file, what] of [
    [SYNTH_JS, 'the engine'],
    [RENDERER_INDEX, 'the renderer'],
  ] as const) {
    if (!existsSync(file)) throw new Error(`${what} is not built (${path.relative(REPO_ROOT, file)} is missing): run \`npm run build\` first`);
  }
  await fsp.mkdir(E2E_ROOT, { recursive: true });
  await generateFixtures();
  const given = process.env.E2E_HOST_URL;
  if (given) {
    // An already-running host (e.g. `audio-ident serve` started by hand): use it, start and stop nothing.
    const url = new URL(given);
    const info = { url: given, token: url.searchParams.get('token') ?? '', origin: url.origin, dataDir: '', pid: 0 };
    writeFileSync(HOST_INFO_PATH, JSON.stringify(info, null, 2));
    return async () => {};
  }
  const dataDir = mkdtempSync(path.join(E2E_ROOT, 'data-'));
  const host = await startHost(dataDir, path.join(E2E_ROOT, 'host.log'));
  host.child.removeAllListeners('exit');
  writeFileSync(
    HOST_INFO_PATH,
    JSON.stringify({ url: host.url, token: host.token, origin: `http://127.0.0.1:${host.port}`, dataDir, pid: host.child.pid }, null, 2),
  );
  return async () => {
    const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
    host.child.kill('SIGTERM');
    const timeout = new Promise<void>((resolve) => setTimeout(resolve, 10_000));
    await Promise.race([exited, timeout]);
    if (host.child.exitCode === null) host.child.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  };
}
