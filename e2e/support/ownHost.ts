// A second `audio-ident serve` of a spec's own, on a fresh data folder (and, if asked, its own HOME, so "~/Music"
// means a folder the spec made), for screens that need an empty library. Stopped with stopOwnHost.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const READY_LINE = /audio-ident is running at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;

export interface OwnHost {
  readonly child: ChildProcess;
  readonly url: string;
}

export function startOwnHost(dataDir: string, env: Record<string, string> = {}): Promise<OwnHost> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin/audio-ident.js'), 'serve', '--data', dataDir, '--port', '0', '--workers', '1'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'test', ...env },
    });
    let log = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`audio-ident serve did not start:\n${log}`));
    }, 60_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      log += chunk;
      const match = READY_LINE.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (log += chunk));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`audio-ident serve exited (${code}):\n${log}`));
    });
  });
}

export async function stopOwnHost(host: OwnHost | undefined): Promise<void> {
  if (!host || host.child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => host.child.once('exit', () => resolve()));
  host.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  if (host.child.exitCode === null) host.child.kill('SIGKILL');
}
