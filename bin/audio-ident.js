#!/usr/bin/env node
// audio-ident command line: runs the compiled CLI (built by `npm ci` / `npm run build` into out/).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../out/src-main/host/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('audio-ident is not built yet: run `npm run build` in the project folder.\n');
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
