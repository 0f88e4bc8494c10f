// Reads a landmark store once in a child process before this process opens it: lmdb-js 3.x crashes the whole
// process (SIGSEGV) on some pages scribbled over (found by test: a random page where the B-tree expects a branch),
// where it would otherwise return MDB_CORRUPTED. A child that crashes, or reports an LMDB error, means the store is
// damaged. Costs one Node start-up per open (measured ~0.5 s on 2 loaded cores, 1000 tracks; it runs while nothing
// else is open yet); the child never writes. A store its last session closed cleanly, unchanged since, is not read
// again (closedCleanly below): every CLI command and every app start would pay that start-up for nothing. Any thread
// of the library's owner.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** What the child does: open read-only, every track header, peaks of 8 tracks, 64 postings lookups, the stats. */
const PROBE_SOURCE = `
const [lmdbUrl, dir] = process.argv.slice(1);
const { open } = await import(lmdbUrl);
const env = open(dir, { compression: false, encoding: 'binary', maxDbs: 8, noSubdir: false, readOnly: true });
const db = (name, keyEncoding) => env.openDB(name, { keyEncoding, encoding: 'binary', compression: false });
const postings = db('postings', 'binary');
const tracks = db('tracks', 'uint32');
const trackHashes = db('trackHashes', 'uint32');
const trackPeaks = db('trackPeaks', 'uint32');
const meta = db('meta', 'binary');
meta.getBinary('format');
meta.getBinary('totals');
const nums = Array.from(tracks.getKeys());
for (const num of nums) tracks.getBinary(num);
const step = Math.max(1, Math.floor(nums.length / 8));
for (let i = 0; i < nums.length; i += step) { trackPeaks.getBinary(nums[i]); trackHashes.getBinary(nums[i]); }
const key = Buffer.alloc(4);
for (let i = 0; i < 64; i++) {
  const hash = (i < 32 ? Math.floor((i * 2 ** 22) / 32) + 7 : Math.floor(((i - 32) * 2 ** 32) / 32) + 7) >>> 0;
  key.writeUInt32BE(hash, 0);
  for (const entry of postings.getRange({ start: key, limit: 2 })) void entry.value;
}
for (const d of [env, postings, tracks, trackHashes, trackPeaks, meta]) d.getStats();
env.close();
process.stdout.write('ok');
`;

/** The child gives up after this long (a store on a slow disk): the store is then taken as sound. */
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Resolves with why the store in `dirPath` cannot be read (a crash, an LMDB error), or undefined when the child read
 * it without trouble (or there is no store, or the child could not be started at all: then the open goes ahead).
 */
export function probeStoreInChild(dirPath: string): Promise<string | undefined> {
  if (!existsSync(path.join(dirPath, 'data.mdb'))) return Promise.resolve(undefined);
  let lmdbUrl: string;
  try {
    lmdbUrl = pathToFileURL(createRequire(import.meta.url).resolve('lmdb')).href;
  } catch {
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    let out = '';
    let err = '';
    let child;
    try {
      child = spawn(process.execPath, ['--input-type=module', '-e', PROBE_SOURCE, lmdbUrl, dirPath], {
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: PROBE_TIMEOUT_MS,
        windowsHide: true,
      });
    } catch {
      resolve(undefined);
      return;
    }
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', () => resolve(undefined));
    child.on('close', (code, signal) => {
      if (out === 'ok' && code === 0) resolve(undefined);
      else if (signal === 'SIGTERM' && out === '')
        resolve(undefined); // timed out: do not throw a store away for that
      else if (signal) resolve(`reading the store crashed a test process (${signal})`);
      else resolve(lastLines(err) || `a test read of the store failed (exit ${code})`);
    });
  });
}

/** Beside data.mdb: the file as the last session that closed the store cleanly left it. */
const CLEAN_MARK = 'closed-cleanly.json';
/**
 * A data file changed less than this before the session closed is not marked: a later change within the same
 * timestamp tick (as coarse as 1 s on HFS+, 2 s on FAT) would leave the mark matching. Git's index treats such
 * "racily clean" entries the same way. The next open then reads the store in a child, as without a mark.
 */
const RACY_MS = 2_000;

interface Mark {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ino: number;
}

function markOf(dataPath: string): Mark {
  const { size, mtimeMs, ino } = statSync(dataPath);
  return { size, mtimeMs, ino };
}

/**
 * Call once a session has closed the store in `dirPath` without an error: the next open may skip the child read while
 * data.mdb stays exactly as it is now (size, modification time, inode). Never throws (a read-only folder keeps no mark).
 */
export function markClosedCleanly(dirPath: string, now = Date.now()): void {
  try {
    const mark = markOf(path.join(dirPath, 'data.mdb'));
    if (now - mark.mtimeMs < RACY_MS) return;
    const file = path.join(dirPath, CLEAN_MARK);
    writeFileSync(`${file}.tmp`, JSON.stringify(mark));
    renameSync(`${file}.tmp`, file);
  } catch {
    // no store, or nowhere to write: the next open reads the store in a child
  }
}

/**
 * Whether the store in `dirPath` is as its last session closed it cleanly. The mark is taken away either way, so a
 * session that then crashes (a damaged page that kills the process, say) leaves none behind and the open after it
 * reads the store in a child again: never a crash at every start. (A reader beside the writer, the CLI beside the app,
 * may mark the store again before the writer crashes without having written: then one more crash, no more.)
 */
export function closedCleanly(dirPath: string): boolean {
  const file = path.join(dirPath, CLEAN_MARK);
  let mark: Partial<Mark>;
  try {
    mark = JSON.parse(readFileSync(file, 'utf8')) as Partial<Mark>;
  } catch {
    return false; // none (or unreadable): read the store in a child
  }
  try {
    rmSync(file, { force: true });
    const now = markOf(path.join(dirPath, 'data.mdb'));
    return mark.size === now.size && mark.mtimeMs === now.mtimeMs && mark.ino === now.ino;
  } catch {
    return false; // a mark that cannot be taken away (a read-only folder) is not trusted
  }
}

function lastLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
  const error = lines.find((l) => /MDB_|Error:/.test(l));
  return (error ?? lines.slice(-2).join(' ')).slice(0, 300);
}
