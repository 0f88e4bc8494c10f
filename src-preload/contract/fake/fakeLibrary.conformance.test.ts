// The one fake library held to the real engine: the contract's conformance script (../libraryConformance.ts) must get
// the answers the real LibraryService gave (../libraryConformance.expected.json, written by
// src-main/engine/libraryService.conformance.test.ts), so what the page's tests and the host's door tests see of
// browsing, folders, History and errors is true. The renderer's fake bridge adds no behaviour to it (a door name and
// a latency); the host's fake backend asks the real file system about folders, so it runs the script too
// (src-main/host/fakeBackend.conformance.test.ts).
import { describe, expect, it } from 'vitest';
import expected from '../libraryConformance.expected.json' with { type: 'json' };
import { runLibraryConformance } from '../libraryConformance.js';
import { createFakeLibrary } from './fakeLibrary.js';

/** The script starts no scan, download or tracklist: a clock whose timers never fire is enough. */
const stillClock = { now: () => new Date('2026-01-01T00:00:00.000Z'), after: () => () => undefined };

describe('fake library conformance', () => {
  it('answers the conformance script as the real LibraryService does', async () => {
    const library = createFakeLibrary({ clock: stillClock, scanned: ['/music'] });
    const transcript = await runLibraryConformance(library, {
      libraryRoot: '/music',
      betaClip: { fileName: 'beta-clip.wav', bytes: new Uint8Array(44_100 * 6) },
    });
    expect(transcript).toEqual(expected);
  });

  it('answers the script the same through a slow clock-driven scan: /music added, then scanned in steps', async () => {
    const timers: (() => void)[] = [];
    const clock = { now: () => new Date('2026-01-01T00:00:00.000Z'), after: (_ms: number, run: () => void) => (timers.push(run), () => undefined) };
    const library = createFakeLibrary({ clock });
    const finished = new Promise((resolve) => library.on('scanFinished', resolve));
    expect((await library.addFolder('/music')).ok).toBe(true);
    await Promise.resolve(); // the scan starts after addFolder answered
    while (timers.length > 0) timers.shift()!();
    expect(await finished).toMatchObject({ added: 4, failed: 1, cancelled: false });
    const transcript = await runLibraryConformance(library, {
      libraryRoot: '/music',
      betaClip: { fileName: 'beta-clip.wav', bytes: new Uint8Array(44_100 * 6) },
    });
    expect(transcript).toEqual(expected);
  });
});
