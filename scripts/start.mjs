#!/usr/bin/env node
// `npm start` (after `npm run build`): opens the desktop app with Electron when its binary is present; otherwise
// says so in one line and starts the browser host instead (`audio-ident serve`, which prints the URL to open).
// Arguments after `--` go to the app (e.g. `npm start -- --data-dir=/tmp/lib`; the host gets them as `--data`).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_ELECTRON_HINT, findElectronBinary } from './electronBinary.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

const missing = ['out/src-main/main.js', 'out/preload/preload.cjs', 'out/renderer/index.html'].filter((p) => !existsSync(path.join(root, p)));
if (missing.length > 0) console.error(`warning: not built yet (${missing.join(', ')} missing): run \`npm run build\` first`);

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    console.error(`could not start ${command}: ${error.message}`);
    process.exit(1);
  });
}

const electron = findElectronBinary();
if (electron) {
  run(electron, [root, ...args]);
} else {
  console.error(`No Electron binary on this machine (${NO_ELECTRON_HINT}); starting the browser host instead.`);
  const hostArgs = args.map((a) => a.replace(/^--data-dir(=|$)/, '--data$1'));
  run(process.execPath, [path.join(root, 'bin', 'audio-ident.js'), 'serve', ...hostArgs]);
}
