// Test helper: a LibraryEngine in a fresh temp folder, indexing the given songs written as WAV files (title -> PCM at
// `sampleRateHz`) under `<dir>/music`. For tests only.
import { mkdtempSync, promises as fsp, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inProcessRunners, LibraryEngine } from '../libraryEngine.js';
import { writeWav } from './synthAudio.js';

export interface SongLibrary {
  readonly dir: string;
  readonly library: LibraryEngine;
  /** Closes the library and removes the folder. */
  close(): Promise<void>;
}

export async function openSongLibrary(prefix: string, songs: ReadonlyMap<string, Float32Array>, sampleRateHz: number): Promise<SongLibrary> {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  const music = path.join(dir, 'music');
  await fsp.mkdir(music);
  for (const [title, pcm] of songs) await writeWav(path.join(music, `${title}.wav`), pcm, sampleRateHz);
  const library = await LibraryEngine.open(path.join(dir, 'data'), inProcessRunners(1), undefined, { embedderManifest: null });
  await library.scan([music]);
  return {
    dir,
    library,
    close: async () => {
      await library.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
