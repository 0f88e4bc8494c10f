// Olaf's ingest as its CLI does it with `--threads 2` (not a test): per file, ffmpeg decodes to 16 kHz mono f32le raw
// and Olaf's C core stores the fingerprints (`olaf_core store RAW ORIGINAL`), `jobs` files at a time. The Zig CLI does
// the same per file inside one process; here each file is one olaf_core process (its start-up is ~1 ms). Olaf keeps its
// LMDB in $HOME/.olaf/db, so it gets a private HOME. Build the core outside the project (Olaf's `make compile_core`)
// and pass its binary as OLAF_BIN.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';

/** Runs a command; resolves with the tail of its stderr. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-1000)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(err) : reject(new Error(`${path.basename(cmd)} exited ${code}: ${err}`))));
  });
}

export interface OlafIngest {
  files: number;
  failed: number;
  dbBytes: number;
  /** The largest resident set of one olaf_core store (GNU time's %M), MB; NaN without /usr/bin/time. */
  peakRssMb: number;
}

/** Stores `files` in a fresh Olaf database under `home` (removed first), `jobs` files at a time. */
export async function olafIngest(olafBin: string, ffmpeg: string, files: readonly string[], home: string, jobs: number): Promise<OlafIngest> {
  rmSync(home, { recursive: true, force: true });
  const dbDir = path.join(home, '.olaf', 'db');
  const rawDir = path.join(home, 'raw');
  mkdirSync(dbDir, { recursive: true });
  mkdirSync(rawDir, { recursive: true });
  const env = { ...process.env, HOME: home };
  let next = 0;
  let failed = 0;
  let peakKb = 0;
  const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const worker = async (w: number): Promise<void> => {
    while (next < files.length) {
      const file = files[next++];
      const raw = path.join(rawDir, `w${w}.raw`);
      try {
        await run(
          ffmpeg,
          ['-hide_banner', '-y', '-loglevel', 'panic', '-i', file, '-ac', '1', '-ar', '16000', '-f', 'f32le', '-acodec', 'pcm_f32le', raw],
          env,
        );
        const tail = await run(timeBin ?? olafBin, timeBin ? ['-f', 'maxrss %M', olafBin, 'store', raw, file] : ['store', raw, file], env);
        const kb = /maxrss (\d+)/.exec(tail);
        if (kb) peakKb = Math.max(peakKb, Number(kb[1]));
      } catch (e) {
        failed++;
        console.error(`  olaf failed: ${String(e).slice(0, 300)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: jobs }, (_, w) => worker(w)));
  rmSync(rawDir, { recursive: true, force: true });
  return { files: files.length, failed, dbBytes: statSync(path.join(dbDir, 'data.mdb')).size, peakRssMb: timeBin ? peakKb / 1024 : NaN };
}
