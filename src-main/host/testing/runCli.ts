// Test helper: runs the CLI from source (spawned as `node --import tsx src-main/host/testing/runCli.ts <args>`), so
// end-to-end tests of `serve` need no build. For tests only.
import { main } from '../cli.js';

process.exitCode = await main(process.argv.slice(2));
