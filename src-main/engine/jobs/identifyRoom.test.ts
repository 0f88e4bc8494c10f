// A phone held up in a room, end to end (issue 12): generated songs are indexed from files; a clip of one is played
// through a small speaker into a simulated reverberant room (image sources + a diffuse tail, RT60 0.9 s, more reverb
// than direct sound), with noise at the mic, through a phone's mic and AGC, written as a file and identified as the
// app does. Also a recording with a dropout, and music that is not in the library through the same room.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agc, dropout, mixAtSnr, phoneFilters, playThroughSpeaker, type PhoneSpec, type SpeakerSpec } from '../testing/room/chain.js';
import { convolve, filter, gaussian } from '../testing/room/dsp.js';
import { measureRt60, reverberantPart, roomImpulseResponse, type RoomSpec } from '../testing/room/rir.js';
import { openSongLibrary, type SongLibrary } from '../testing/songLibrary.js';
import { createRng, cutClip, synthSong, writeWav } from '../testing/synthAudio.js';

const RATE = 16_000;
const SPEAKER: SpeakerSpec = { boxHz: 220, boxQ: 1.4, breakupHz: 3500, breakupDb: 6, lowpassHz: 10_000, driveDb: 3 };
const PHONE: PhoneSpec = { highpassHz: 150, lowpassHz: 7000, presenceHz: 3000, presenceDb: 4, agcTargetDb: -20 };
const ROOM: RoomSpec = {
  size: [6.2, 4.4, 2.7],
  speaker: [1.3, 2.1, 1.0],
  mic: [3.1, 2.6, 1.2],
  rt60: 0.9,
  bandRt60Factors: [1.6, 1.3, 1.05, 1, 0.85, 0.7, 0.6],
  drrDb: -3,
  earlyMs: 60,
};
const PREROLL = 2;

const songs = new Map([1, 2, 3, 4].map((n) => [`song ${n}`, synthSong(300 + n, 40, RATE)] as const));
let lib: SongLibrary;

beforeAll(async () => {
  lib = await openSongLibrary('identify-room-', songs, RATE);
}, 180_000);

afterAll(async () => {
  await lib?.close();
});

/** `seconds` of `song` from `at`, as a phone across the room records it (with `PREROLL` s of music before, for the tail). */
function recordInRoom(song: Float32Array, at: number, seconds: number, snrDb: number, seed: number): Float32Array {
  const played = playThroughSpeaker(cutClip(song, RATE, at - PREROLL, seconds + PREROLL), SPEAKER, RATE);
  const rir = roomImpulseResponse(ROOM, RATE, createRng(seed));
  const wet = convolve(played, rir.h).slice(PREROLL * RATE + rir.directIndex, (PREROLL + seconds) * RATE + rir.directIndex);
  const rng = createRng(seed + 1);
  const hum = filter(
    Float32Array.from({ length: wet.length }, () => gaussian(rng)),
    ...phoneFilters(PHONE, RATE),
  ); // room noise, phone-coloured
  return agc(filter(mixAtSnr(wet, hum, snrDb), ...phoneFilters(PHONE, RATE)), PHONE.agcTargetDb, RATE);
}

async function identifyRecording(pcm: Float32Array, name: string) {
  const file = path.join(lib.dir, `${name}.wav`);
  await writeWav(file, pcm, RATE);
  return lib.library.identifyFile(file, { mode: 'exact' });
}

describe('identify: a phone across a reverberant room', () => {
  it('the simulated room is as reverberant as it claims', () => {
    const rir = roomImpulseResponse(ROOM, RATE, createRng(1));
    expect(measureRt60(reverberantPart(rir, RATE), RATE, 1000)).toBeGreaterThan(0.8);
  });

  it('names the song and where the clip starts in it', async () => {
    const result = await identifyRecording(recordInRoom(songs.get('song 3')!, 14, 10, 10, 5), 'room-song3');
    expect(result.exact[0]?.track.title).toBe('song 3');
    expect(Math.abs(result.exact[0].offsetSeconds - 14)).toBeLessThan(0.2);
  });

  it('names the song through a dropout of digital silence inside the recording', async () => {
    const near = agc(filter(playThroughSpeaker(cutClip(songs.get('song 2')!, RATE, 20, 6), SPEAKER, RATE), ...phoneFilters(PHONE, RATE)), -20, RATE);
    const result = await identifyRecording(dropout(near, 2.2, 0.9, RATE), 'dropout-song2');
    expect(result.exact[0]?.track.title).toBe('song 2');
  });

  it('returns nothing for music that is not in the library, through the same room', async () => {
    const stranger = synthSong(399, 40, RATE);
    const result = await identifyRecording(recordInRoom(stranger, 14, 10, 10, 6), 'room-stranger');
    expect(result.exact).toEqual([]);
  });
});
