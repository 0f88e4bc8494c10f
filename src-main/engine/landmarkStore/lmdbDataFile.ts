// Checks an LMDB data file's two meta pages before lmdb-js opens it: lmdb-js 3.x segfaults the whole process on a
// file that is not LMDB (found by test), so a damaged store must be caught here. Reads ~1 KB; never writes.
import fs from 'node:fs';

const LMDB_MAGIC = 0xbeefc0de;
/** Page header sizes seen on 64-bit builds: 16 (classic LMDB), 24 (lmdb-js 3.x fork, which adds a txnid). */
const META_OFFSETS = [24, 16] as const;
const HEADER_READ_BYTES = 256;

/**
 * Returns why the file at `filePath` cannot be a healthy LMDB data file, or undefined if it looks sound (or is
 * missing or empty, which LMDB initializes). Only the meta pages are checked; damage inside the tree is not seen.
 */
export function findLmdbDataFileProblem(filePath: string): string | undefined {
  let fd: number;
  try {
    fd = fs.openSync(filePath, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    return `cannot open ${filePath}: ${(err as Error).message}`;
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return `${filePath} is not a file`;
    const fileBytes = stat.size;
    if (fileBytes === 0) return undefined;
    const first = readAt(fd, 0, HEADER_READ_BYTES);
    const metaOffset = META_OFFSETS.find((offset) => first.length >= offset + 136 && first.readUInt32LE(offset) === LMDB_MAGIC);
    if (metaOffset === undefined) return 'not an LMDB data file (no magic in meta page 0)';
    const pageBytes = first.readUInt32LE(metaOffset + 24);
    if (pageBytes < 512 || pageBytes > 65536 || (pageBytes & (pageBytes - 1)) !== 0) {
      return `implausible page size ${pageBytes}`;
    }
    if (fileBytes < 2 * pageBytes) return `truncated: ${fileBytes} bytes, less than two ${pageBytes}-byte meta pages`;
    const second = readAt(fd, pageBytes, HEADER_READ_BYTES);
    if (second.length < metaOffset + 136 || second.readUInt32LE(metaOffset) !== LMDB_MAGIC) {
      return 'meta page 1 is damaged';
    }
    // LMDB uses the meta page with the newer transaction id; every page it names must lie inside the file.
    const metas = [first, second].map((page) => ({
      lastPage: Number(page.readBigUInt64LE(metaOffset + 120)),
      txnId: page.readBigUInt64LE(metaOffset + 128),
    }));
    const current = metas[0].txnId > metas[1].txnId ? metas[0] : metas[1];
    if ((current.lastPage + 1) * pageBytes > fileBytes) {
      return `truncated: last page ${current.lastPage} lies beyond the end of the file (${fileBytes} bytes)`;
    }
    return undefined;
  } catch (err) {
    return `cannot read ${filePath}: ${(err as Error).message}`;
  } finally {
    fs.closeSync(fd);
  }
}

function readAt(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  const bytesRead = fs.readSync(fd, buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
