// Test helper: the CLI as a process of its own, for end-to-end tests of `serve`: spawned from source through tsx, or as
// its compiled twin when the test run compiled the project (resolveWorkerScript). For tests only.
import { main } from '../cli.js';

process.exitCode = await main(process.argv.slice(2));
