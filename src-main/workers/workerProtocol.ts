// The messages between a WorkerPool (main side) and serveWorker (worker side): one job id per run, types only.
// Payloads must be structured-cloneable; typed arrays travel as transfers when listed.
import type { AppErrorInfo } from '../../src-preload/contract/library.js';

/** Main -> worker. */
export type ToWorkerMessage<Req> =
  | { readonly type: 'run'; readonly id: number; readonly req: Req }
  /** Asks the job to stop; the worker answers with an 'error' (code 'cancelled') or its result if it was done. */
  | { readonly type: 'cancel'; readonly id: number };

/** Worker -> main. Exactly one 'done' or 'error' ends each job; 'progress' may come before. */
export type FromWorkerMessage<Res> =
  | { readonly type: 'done'; readonly id: number; readonly result: Res }
  | { readonly type: 'error'; readonly id: number; readonly error: AppErrorInfo }
  | { readonly type: 'progress'; readonly id: number; readonly progress: unknown };
