// The cover image beside a track (cover.jpg, folder.jpg, front.png, ...), for files without an embedded picture:
// how most ripped and downloaded albums carry their art. Reads one small regular file; never follows a FIFO or a
// folder, and refuses anything larger than MAX_FOLDER_COVER_BYTES or not a JPEG/PNG/WebP/GIF by its first bytes.
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { Artwork } from './readTags.js';

/** Names looked for, in this order of preference, case-insensitively, with any of COVER_EXTENSIONS. */
export const FOLDER_COVER_NAMES = ['cover', 'folder', 'front', 'album', 'albumart'] as const;
const COVER_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif'] as const;
/** A cover is a few hundred KB; a 20 MB scan is still shown, a misnamed video is not read. */
export const MAX_FOLDER_COVER_BYTES = 20 * 1024 * 1024;

/** The preferred cover image in the folder that holds `trackPath`, or null when there is none (or it is unreadable). */
export async function readFolderCover(trackPath: string): Promise<Artwork | null> {
  const dir = path.dirname(trackPath);
  let names: string[];
  try {
    names = await fsp.readdir(dir);
  } catch {
    return null;
  }
  for (const candidate of rankCoverFiles(names)) {
    const art = await readImage(path.join(dir, candidate));
    if (art) return art;
  }
  return null;
}

/** The names in a folder listing that look like its cover, best first (pure). */
export function rankCoverFiles(names: readonly string[]): string[] {
  const ranked: { name: string; rank: number }[] = [];
  for (const name of names) {
    const ext = path.extname(name).toLowerCase();
    const stem = name.slice(0, name.length - ext.length).toLowerCase();
    const nameRank = (FOLDER_COVER_NAMES as readonly string[]).indexOf(stem);
    const extRank = (COVER_EXTENSIONS as readonly string[]).indexOf(ext);
    if (nameRank >= 0 && extRank >= 0) ranked.push({ name, rank: nameRank * COVER_EXTENSIONS.length + extRank });
  }
  return ranked.sort((a, b) => a.rank - b.rank || a.name.localeCompare(b.name)).map((r) => r.name);
}

async function readImage(filePath: string): Promise<Artwork | null> {
  try {
    const stats = await fsp.stat(filePath);
    if (!stats.isFile() || stats.size === 0 || stats.size > MAX_FOLDER_COVER_BYTES) return null;
    const data = new Uint8Array(await fsp.readFile(filePath));
    const mime = imageMime(data);
    return mime ? { mime, data } : null;
  } catch {
    return null;
  }
}

/** The image type by its magic bytes (the file name is not trusted); null when it is none of the four. */
export function imageMime(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x89, 0x50, 0x4e, 0x47)) return 'image/png';
  if (starts(0x47, 0x49, 0x46, 0x38)) return 'image/gif';
  if (starts(0x52, 0x49, 0x46, 0x46) && bytes[8] === 0x57 && bytes[9] === 0x45 && bytes[10] === 0x42 && bytes[11] === 0x50) return 'image/webp';
  return null;
}
