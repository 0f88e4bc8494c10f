// Test helper: runs the CLI's main() in this process with its output captured (no child process, no build needed).
import { main, type CliIo } from '../cli.js';

export async function runCliCaptured(args: readonly string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTty: false };
  const code = await main(args, io);
  return { code, out, err };
}
