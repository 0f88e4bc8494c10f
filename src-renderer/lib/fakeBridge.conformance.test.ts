// The renderer's fake bridge held to the real engine: the contract's conformance script
// (src-preload/contract/libraryConformance.ts) must get the answers the real LibraryService gave
// (libraryConformance.expected.json), so what the page's tests see of browsing, folders, History and errors is true.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runLibraryConformance } from '../../src-preload/contract/libraryConformance';
import { createFakeBridge } from './fakeBridge';

const expected: unknown = JSON.parse(readFileSync(new URL('../../src-preload/contract/libraryConformance.expected.json', import.meta.url), 'utf8'));

describe('fake bridge conformance', () => {
  it('answers the conformance script as the real LibraryService does', async () => {
    const bridge = createFakeBridge({ startScanned: true });
    const transcript = await runLibraryConformance(bridge, {
      libraryRoot: '/music',
      betaClip: { fileName: 'beta-clip.wav', bytes: new Uint8Array(44_100 * 6) },
    });
    expect(transcript).toEqual(expected);
  });
});
