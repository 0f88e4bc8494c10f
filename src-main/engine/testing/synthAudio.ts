// Test helper: deterministic music-like audio per seed, WAV writing, ffmpeg encoding to real formats with tags,
// and the degradations a clip suffers (noise, cutting, speed change, phone band-pass). For tests only; no audio is
// committed. One import for the tests; the parts: synthInstruments.ts (PRNG, tones), synthSong.ts (songs),
// audioFiles.ts (WAV, ffmpeg), degradeAudio.ts (clips, noise, speed, phone band).
export { createRng } from './synthInstruments.js';
export { synthSong, type SynthSongOptions } from './synthSong.js';
export { encodeAudio, encodeWav, runFfmpegTool, writeLavfiFile, writeSongFile, writeWav, type EncodeAudioOptions } from './audioFiles.js';
export { addNoise, bandLimit, concatPcm, cutClip, resampleLinear } from './degradeAudio.js';
