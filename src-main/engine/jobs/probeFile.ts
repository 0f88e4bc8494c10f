// Job stage: what a scan needs to know about a file before deciding anything: its SHA-256 and its tags.
// Cheap next to decoding; runs in a worker so a library walk never hashes on the caller's thread.
import { readAudioInfo, type AudioInfo } from '../audio/readTags.js';
import { statRegularFile } from '../audio/regularFile.js';
import { hashFile } from '../scan/hashFile.js';

export interface FileProbe {
  readonly sha256: string;
  readonly info: AudioInfo;
}

export async function probeFile(filePath: string, signal?: AbortSignal): Promise<FileProbe> {
  await statRegularFile(filePath); // a FIFO would block the hash's read for ever
  const [sha256, info] = await Promise.all([hashFile(filePath, signal), readAudioInfo(filePath)]);
  return { sha256, info };
}
