// The sentence the Listen screen's live region speaks: the answer in the result card's plain words ("at 1:23",
// "93% sure"), an empty region before any answer, and distinct words for each kind of answer.
import { describe, expect, it } from 'vitest';
import type { ExactMatch, IdentifyResult, TrackSummary, VibeMatch } from '../../../src-preload/contract/library';
import type { IdentifyOutcome } from '../../store/identifySlice';
import { announceOutcome } from './announce';

const track = (title: string, artist: string | null): TrackSummary => ({ title, artist }) as unknown as TrackSummary;
const exact = (t: TrackSummary): ExactMatch => ({ track: t, confidence: 0.931, offsetSeconds: 83.4, alignedHashes: 48, speedFactor: 1, pitchFactor: 1 });
const vibe = (t: TrackSummary): VibeMatch => ({ track: t, similarity: 0.74, embeddingModel: 'builtin-descriptors-v2', explanation: 'similar rhythm' });
const result = (r: Partial<IdentifyResult>): IdentifyResult => ({ durationMs: 120, clipSeconds: 8, exact: [], vibe: [], modeUsed: 'both', ...r });
const outcome = (o: Partial<IdentifyOutcome>): IdentifyOutcome => ({
  source: 'mic',
  clipName: null,
  clipStartedAtMs: null,
  askedMode: 'both',
  result: null,
  error: null,
  silent: false,
  listenProblem: null,
  ...o,
});

describe('announceOutcome', () => {
  it('is empty before any answer', () => {
    expect(announceOutcome(null)).toBe('');
  });

  it('names the song, where in it, and how sure', () => {
    const o = outcome({ result: result({ exact: [exact(track('Beta', 'The Synthetics'))] }) });
    expect(announceOutcome(o)).toBe('From the microphone: found Beta by The Synthetics, at 1:23, 93% sure.');
    const file = outcome({ source: 'file', clipName: 'clip.wav', result: result({ exact: [exact(track('Delta', null))] }) });
    expect(announceOutcome(file)).toBe('From the file clip.wav: found Delta, at 1:23, 93% sure.');
  });

  it('says "not in your library", with the songs that sound like it', () => {
    expect(announceOutcome(outcome({ result: result({}) }))).toBe('From the microphone: not in your library.');
    const two = outcome({ result: result({ vibe: [vibe(track('A', null)), vibe(track('B', null))] }) });
    expect(announceOutcome(two)).toBe('From the microphone: not in your library. 2 songs in your library sound like it.');
    const vibeOnly = outcome({ askedMode: 'vibe', result: result({ vibe: [vibe(track('A', null))], modeUsed: 'vibe' }) });
    expect(announceOutcome(vibeOnly)).toBe('From the microphone: 1 song in your library sounds like it.');
  });

  it('words problems and errors plainly, without the engine detail', () => {
    expect(announceOutcome(outcome({ listenProblem: 'no-microphone' }))).toBe('No microphone was found.');
    const error = announceOutcome(outcome({ source: 'file', clipName: 'x.mp3', error: { code: 'decode-failed', detail: '[mp3 @ 0x55] Header missing' } }));
    expect(error).toMatch(/^From the file x\.mp3: could not identify\. The audio could not be decoded/);
    expect(error).not.toContain('Header missing');
    expect(announceOutcome(outcome({ silent: true, result: result({}) }))).toMatch(/microphone is silent/);
  });
});
