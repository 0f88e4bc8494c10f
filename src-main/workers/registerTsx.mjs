// Dev/test only: registers tsx's ESM hooks inside a worker thread so it can run a .ts entry. Passed as
// `--import` by resolveWorkerScript (Node 20 ignores `--import tsx` in a worker's execArgv; this file works).
import { register } from 'tsx/esm/api';

register();
