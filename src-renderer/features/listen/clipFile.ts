// Adapts a browser File (dropped or picked) to the store's ClipFile: size known up front, bytes read on demand, and
// its length measured by the page's own media element (so a long recording can open the Tracklist view).
import { probeDurationSeconds } from '../tracklist/probeDuration';
import type { ClipFile } from '../../store/identifySlice';

export function clipFileOf(file: File): ClipFile {
  return {
    name: file.name,
    sizeBytes: file.size,
    readBytes: async () => new Uint8Array(await file.arrayBuffer()),
    probeDurationSeconds: () => probeDurationSeconds(file),
  };
}
