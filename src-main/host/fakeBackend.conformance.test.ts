// The host's fake backend (what the HTTP door tests and the renderer's httpBridge test run against) held to the real
// engine: the contract's conformance script must get the answers the real LibraryService gave
// (src-preload/contract/libraryConformance.expected.json).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FolderId } from '../../src-preload/contract/library.js';
import { CONFORMANCE_TRACKS, conformancePath, runLibraryConformance } from '../../src-preload/contract/libraryConformance.js';
import { createFakeBackend, fakeTrack } from './testing/fakeBackend.js';

const expected: unknown = JSON.parse(readFileSync(new URL('../../src-preload/contract/libraryConformance.expected.json', import.meta.url), 'utf8'));

describe('host fake backend conformance', () => {
  it('answers the conformance script as the real LibraryService does', async () => {
    const tracks = CONFORMANCE_TRACKS.map((t, i) =>
      fakeTrack(i + 1, `/music/${conformancePath(t)}`, {
        title: t.title,
        artist: t.artist,
        album: t.album,
        format: t.format,
        durationSeconds: t.durationSeconds,
        trackNumber: t.trackNumber,
        discNumber: t.album ? 1 : null,
      }),
    );
    const backend = createFakeBackend(tracks);
    backend.folders.push({ id: 1 as FolderId, path: '/music', exists: true, trackCount: tracks.length, lastScannedAt: '2026-01-01T00:00:00.000Z' });
    // The script: a clip of Beta is Beta (the default answers the first track whatever the clip).
    const beta = tracks[1];
    backend.identify = async () => ({
      ok: true,
      value: {
        durationMs: 5,
        clipSeconds: 6,
        modeUsed: 'exact',
        vibe: [],
        exact: [{ track: beta, confidence: 0.9, offsetSeconds: 30, alignedHashes: 40, speedFactor: 1, pitchFactor: 1 }],
      },
    });
    const transcript = await runLibraryConformance(backend, { libraryRoot: '/music', betaClip: { fileName: 'beta-clip.wav', bytes: new Uint8Array(1000) } });
    expect(transcript).toEqual(expected);
  });
});
