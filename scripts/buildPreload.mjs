#!/usr/bin/env node
// Bundles the preload (src-preload/preload.ts + the contract) into one CommonJS file, out/preload/preload.cjs:
// a sandboxed preload can only require('electron'), and package.json's "type": "module" makes .js mean ESM.
// Usage: node scripts/buildPreload.mjs [outfile]
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function buildPreload(outfile = path.join(root, 'out', 'preload', 'preload.cjs')) {
  await build({
    entryPoints: [path.join(root, 'src-preload', 'preload.ts')],
    outfile,
    bundle: true,
    format: 'cjs',
    platform: 'browser', // a sandboxed renderer, not Node: any node:* import fails the build
    target: 'chrome130',
    external: ['electron'],
    sourcemap: false,
    minify: false,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildPreload(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`preload bundled: ${path.relative(process.cwd(), out)}`);
}
