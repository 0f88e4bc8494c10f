// The now-playing file on the Settings screen: the engine's setting (where Keep listening writes the song heard now,
// for a streamer's overlay; null when off), turning it on at a path or off, and why the last change was refused. A
// path that is not absolute is refused here, in words, before anything is sent (as a library folder is).
import type { NowPlayingFileSetting } from '../../../src-preload/contract/api';
import type { AppErrorInfo } from '../../../src-preload/contract/library';
import { isAbsoluteOrHomePath } from '../../../src-preload/contract/parseArgs';
import type { SliceCreator } from '../../store/types';

export type NowPlayingPathProblem = 'relative-path';

export interface NowPlayingSlice {
  /** The engine's setting; null until loaded. */
  nowPlayingFile: NowPlayingFileSetting | null;
  /** Why the last load or change failed (the engine's refusal, e.g. file-not-writable), else null. */
  nowPlayingError: AppErrorInfo | null;
  nowPlayingPathProblem: NowPlayingPathProblem | null;
  nowPlayingSaving: boolean;
  loadNowPlayingFile: () => Promise<void>;
  /** Turns the file on at `filePath` (trimmed; empty turns it off) or off (null); true when the engine took it. */
  chooseNowPlayingFile: (filePath: string | null) => Promise<boolean>;
}

export const createNowPlayingSlice: SliceCreator<NowPlayingSlice> = (deps) => (set) => ({
  nowPlayingFile: null,
  nowPlayingError: null,
  nowPlayingPathProblem: null,
  nowPlayingSaving: false,

  loadNowPlayingFile: async () => {
    const result = await deps.bridge.getNowPlayingFile();
    if (result.ok) set({ nowPlayingFile: result.value });
    else set({ nowPlayingError: result.error });
  },

  chooseNowPlayingFile: async (filePath) => {
    const trimmed = filePath?.trim() || null;
    if (trimmed !== null && !isAbsoluteOrHomePath(trimmed)) {
      set({ nowPlayingError: null, nowPlayingPathProblem: 'relative-path' });
      return false;
    }
    set({ nowPlayingSaving: true, nowPlayingPathProblem: null });
    const result = await deps.bridge.setNowPlayingFile(trimmed);
    if (!result.ok) {
      set({ nowPlayingSaving: false, nowPlayingError: result.error });
      return false;
    }
    set({ nowPlayingSaving: false, nowPlayingError: null, nowPlayingFile: result.value });
    return true;
  },
});
