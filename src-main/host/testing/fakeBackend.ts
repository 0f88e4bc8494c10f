// Test helper: the contract's one fake library (src-preload/contract/fake/fakeLibrary.ts) as a LibraryBackend, so
// the host's doors can be tested without the engine. All the behaviour is the fake library's (held to the real
// LibraryService by its conformance test); this file adds only what a backend has beyond the contract: the real
// file system's folders (addFolder finds what is on disk; scans find no audio, the catalog is the tracks given),
// tracklistFile (the host's streamed uploads, read from disk) and close(). For tests only.
import { readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFakeLibrary, type FakeLibrary } from '../../../src-preload/contract/fake/fakeLibrary.js';
import type { Artwork } from '../../../src-preload/contract/api.js';
import type { TrackDetail } from '../../../src-preload/contract/library.js';
import type { LibraryBackend } from '../../engine/libraryBackend.js';

export { fakeTrack } from '../../../src-preload/contract/fake/fakeTracks.js';

export interface FakeBackend extends FakeLibrary, Pick<LibraryBackend, 'tracklistFile' | 'close'> {
  /** The files tracklistFile was given, with their bytes at the time. */
  readonly tracklistFiles: { filePath: string; bytes: Uint8Array }[];
}

/** Every track's cover: a few bytes of PNG (so the doors' tests see binary values travel). */
export const FAKE_COVER: Artwork = { mimeType: 'image/png', bytes: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255, 7]) };

export function createFakeBackend(tracks: TrackDetail[] = []): FakeBackend {
  const library = createFakeLibrary({
    clock: {
      now: () => new Date(),
      after(ms, run) {
        const timer = setTimeout(run, ms);
        return () => clearTimeout(timer);
      },
    },
    disk: { homeDir: os.homedir(), folderExists: isDirectory, filesUnder: () => [] },
    tracks,
    scanStepMs: 20,
    tracklistStepMs: 1,
    scripts: { artwork: () => FAKE_COVER },
  });
  const tracklistFiles: FakeBackend['tracklistFiles'] = [];
  return Object.assign(library, {
    tracklistFiles,
    async tracklistFile(request: { filePath: string; runId: string }, signal?: AbortSignal) {
      library.calls.push({ method: 'tracklistFile', args: [request] });
      let bytes: Uint8Array;
      try {
        bytes = readFileSync(request.filePath);
      } catch {
        return { ok: false as const, error: { code: 'not-found' as const } };
      }
      tracklistFiles.push({ filePath: request.filePath, bytes });
      return library.tracklistClip({ audio: { kind: 'file', fileName: path.basename(request.filePath), bytes }, runId: request.runId }, signal);
    },
    async close() {},
  });
}

/** The backend runs in Node: a folder exists when the file system has it, as for the engine. */
function isDirectory(folderPath: string): boolean {
  try {
    return statSync(folderPath).isDirectory();
  } catch {
    return false;
  }
}
