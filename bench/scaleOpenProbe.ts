// Child process of bench:scale (not a test): the library's start-up as the CLI and app do it, in a fresh process.
//   node out/bench/scaleOpenProbe.js DATA_DIR
// Prints one JSON line: module load, open (catalog integrity check, store check, vibe lane) and the first tracks page,
// in ms since the process started, and the resident set once idle with the library open.
import { performance } from 'node:perf_hooks';

const dataDir = process.argv[2];
const t0 = performance.now(); // ms since the process started (node's own start-up before it)
const { openLibrary } = await import('../src-main/host/openLibrary.js');
const loaded = performance.now();
const lib = await openLibrary(dataDir, undefined, 'index');
const opened = performance.now();
const page = lib.catalog.listTracks({ page: 1, perPage: 50 });
const ready = performance.now();
await new Promise((r) => setTimeout(r, 2000));
const rssMb = process.memoryUsage().rss / 2 ** 20;
const vibe = lib.vibe !== undefined;
await lib.close();
console.log(
  JSON.stringify({
    nodeStartMs: t0,
    moduleLoadMs: loaded - t0,
    openMs: opened - loaded,
    firstPageMs: ready - opened,
    readyMs: ready,
    tracks: page.total,
    vibe,
    idleRssMb: rssMb,
  }),
);
