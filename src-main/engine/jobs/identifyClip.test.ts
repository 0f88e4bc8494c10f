// The audio check end to end: a Library indexes generated songs from files, then hears weak matches against those
// files. A remix that shares one of a track's two layers is dropped; the track itself under loud noise is kept; with
// the track's file gone the votes decide alone.
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DECISION_RULE, type DecisionRule } from '../fingerprint/searchClip.js';
import { inProcessRunners, Library } from '../library.js';
import { addNoise, cutClip, synthSong, writeWav } from '../testing/synthAudio.js';
import { searchPcm } from './identifyClip.js';

const RATE = 8000;
/** Every accepted match is heard, however many votes it has: what the default rule does below auditBelowAligned. */
const HEAR_ALL: DecisionRule = { ...DEFAULT_DECISION_RULE, auditBelowAligned: Number.POSITIVE_INFINITY };

let dir: string;
let library: Library;
const layerA = synthSong(21, 40, RATE, { percussion: false });
const layerB = synthSong(22, 40, RATE, { percussion: false });
const layered = new Float32Array(layerA.length);
for (let i = 0; i < layered.length; i++) layered[i] = 0.5 * (layerA[i] + layerB[i]);

function mixed(a: Float32Array, b: Float32Array): Float32Array {
  return a.map((v, i) => 0.5 * (v + (b[i] ?? 0)));
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'identify-check-'));
  const music = path.join(dir, 'music');
  await fsp.mkdir(music);
  await writeWav(path.join(music, 'layered.wav'), layered, RATE);
  await writeWav(path.join(music, 'other.wav'), synthSong(23, 40, RATE), RATE);
  library = await Library.open(path.join(dir, 'data'), inProcessRunners(1), undefined, { embedderManifest: null });
  await library.scan([music]);
}, 120_000);

afterAll(async () => {
  await library?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('identify: the audio check', () => {
  it('keeps the track under loud noise, having heard it', async () => {
    const clip = addNoise(cutClip(layered, RATE, 12, 6), 0, 5);
    const { result, audit } = await searchPcm({ ...library.identifyDeps(), rule: HEAR_ALL }, clip, 5);
    expect(result.exact.map((m) => m.track.title)).toEqual(['layered']);
    expect(result.exact[0].offsetSeconds).toBeCloseTo(12, 1);
    const check = [...audit.checks.values()][0];
    expect(check.shortfall).toBeLessThan(DEFAULT_DECISION_RULE.maxShortfall);
  });

  it('drops music that shares one layer of the track, which the votes alone accept', async () => {
    const remix = mixed(cutClip(layerA, RATE, 12, 6), cutClip(synthSong(24, 20, RATE, { percussion: false }), RATE, 3, 6));
    const votesOnly = await searchPcm({ ...library.identifyDeps(), rule: HEAR_ALL, trackAudio: undefined }, remix, 5);
    expect(votesOnly.result.exact.map((m) => m.track.title)).toEqual(['layered']);
    const heard = await searchPcm({ ...library.identifyDeps(), rule: HEAR_ALL }, remix, 5);
    expect(heard.result.exact).toEqual([]);
    expect(heard.audit.dropped).toHaveLength(1);
  });

  it('lets the votes decide when the track file cannot be read', async () => {
    const clip = addNoise(cutClip(layered, RATE, 20, 6), 0, 6);
    const gone: typeof library.identifyDeps = () => ({
      ...library.identifyDeps(),
      rule: HEAR_ALL,
      trackAudio: () => Promise.reject(new Error('ENOENT')),
    });
    const { result, audit } = await searchPcm(gone(), clip, 5);
    expect(result.exact.map((m) => m.track.title)).toEqual(['layered']);
    expect(audit.checks.size).toBe(0);
  });

  it('answers through Library.identify with the default rule', async () => {
    const result = await library.identify(addNoise(cutClip(layered, RATE, 25, 5), 5, 7), { mode: 'exact' });
    expect(result.exact[0]?.track.title).toBe('layered');
  });
});
