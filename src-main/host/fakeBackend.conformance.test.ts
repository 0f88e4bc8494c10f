// The host's fake backend (what the HTTP door tests and the renderer's httpBridge test run against) held to the real
// engine: it is the contract's fake library (itself held to it by fakeLibrary.conformance.test.ts) plus the real file
// system's folders, so it runs the conformance script too (addFolder on a missing folder asks the disk). Its catalog
// is the conformance library as the fake disk holds it, in a folder the test declares.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FolderId } from '../../src-preload/contract/library.js';
import { runLibraryConformance } from '../../src-preload/contract/libraryConformance.js';
import { fakeMusicTracks } from '../../src-preload/contract/fake/fakeTracks.js';
import { createFakeBackend } from './testing/fakeBackend.js';

const expected: unknown = JSON.parse(readFileSync(new URL('../../src-preload/contract/libraryConformance.expected.json', import.meta.url), 'utf8'));

describe('host fake backend conformance', () => {
  it('answers the conformance script as the real LibraryService does', async () => {
    const backend = createFakeBackend(fakeMusicTracks(0, '/music'));
    backend.folders.push({ id: 1 as FolderId, path: '/music', exists: true, trackCount: 0, lastScannedAt: '2026-01-01T00:00:00.000Z' });
    const transcript = await runLibraryConformance(backend, { libraryRoot: '/music', betaClip: { fileName: 'beta-clip.wav', bytes: new Uint8Array(1000) } });
    expect(transcript).toEqual(expected);
  });
});
