// What History keeps of an identify result: the exact match shown, else the vibe lane's suggestion ("sounds like X",
// so a vibe Listen is not remembered as "not in library"), and the file name of the track shown. One mapping for the
// engine's History (src-main/engine/service/historyKeeper.ts) and the fake library's (fake/fakeHistory.ts). Pure.
import type { HistoryEntry } from './api.js';
import type { IdentifyResult } from './library.js';

export function historyShown(result: IdentifyResult): Pick<HistoryEntry, 'match' | 'soundsLike' | 'trackFileName'> {
  const best = result.exact[0];
  const vibe = best ? undefined : result.vibe[0];
  const shown = best?.track ?? vibe?.track;
  return {
    match: best
      ? {
          trackId: best.track.id,
          title: best.track.title,
          artist: best.track.artist,
          album: best.track.album,
          offsetSeconds: best.offsetSeconds,
          confidence: best.confidence,
        }
      : null,
    soundsLike: vibe ? { trackId: vibe.track.id, title: vibe.track.title, artist: vibe.track.artist, similarity: vibe.similarity } : null,
    trackFileName: shown ? lastPathComponent(shown.filePath) : null,
  };
}

/** The file name of a path written on any system ('/' or '\\' separated). */
export function lastPathComponent(filePath: string): string {
  return filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
}
