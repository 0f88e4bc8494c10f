// A pool of worker_threads that run one job each at a time from a bounded FIFO queue (runs in the main thread).
// Promises: a crashed or exited worker rejects only its own job and is replaced on demand; aborting a queued job
// drops it, aborting a running one asks the worker to stop (and terminates it after a grace period if it does not);
// worker errors come back as AppError with the code the worker threw. Idle workers do not keep the process alive.
import os from 'node:os';
import { Worker, type Transferable } from 'node:worker_threads';
import { APP_ERROR_CODES, type AppErrorCode, type AppErrorInfo } from '../../src-preload/contract/library.js';
import { AppError } from '../engine/errors.js';
import type { FromWorkerMessage, ToWorkerMessage } from './workerProtocol.js';

export { resolveWorkerScript, type WorkerScript } from './resolveWorkerScript.js';

export interface WorkerPoolOptions {
  /** The worker entry (a module calling serveWorker); see resolveWorkerScript. */
  readonly script: URL;
  /** Number of workers, >= 1 (default os.availableParallelism()). Workers start when first needed. */
  readonly size?: number;
  /** Most jobs allowed to wait (not counting running ones); run() rejects beyond it. Default unbounded. */
  readonly maxQueue?: number;
  /** Node flags for each worker (resolveWorkerScript gives the ones a .ts entry needs). */
  readonly execArgv?: readonly string[];
  /** Passed to every worker as worker_threads.workerData. */
  readonly workerData?: unknown;
  /** Thread name prefix, for debuggers and crash reports. */
  readonly name?: string;
  /** After cancelling a running job, how long the worker has to acknowledge before it is terminated (ms, default 5000). */
  readonly cancelGraceMs?: number;
}

export interface RunOptions {
  readonly signal?: AbortSignal;
  /** Buffers to move (not copy) to the worker with the request; they are unusable here afterwards. */
  readonly transfer?: readonly Transferable[];
  readonly onProgress?: (progress: unknown) => void;
}

interface Job<Req, Res> {
  readonly id: number;
  readonly req: Req;
  readonly options: RunOptions;
  readonly resolve: (result: Res) => void;
  readonly reject: (error: AppError) => void;
  settled: boolean;
  detachSignal: () => void;
}

interface Slot<Req, Res> {
  readonly worker: Worker;
  /** The job this worker is executing; stays set after a cancel until the worker answers or dies. */
  job: Job<Req, Res> | undefined;
  /** An uncaught error reported by the worker, used to explain its exit. */
  crashError: Error | undefined;
  graceTimer: NodeJS.Timeout | undefined;
}

const KNOWN_CODES: ReadonlySet<string> = new Set(APP_ERROR_CODES);

/** Rebuilds the AppError a worker reported; an unknown code becomes 'internal'. */
export function appErrorFromInfo(info: AppErrorInfo): AppError {
  const code: AppErrorCode = KNOWN_CODES.has(info.code) ? info.code : 'internal';
  return new AppError(code, info.detail);
}

export class WorkerPool<Req, Res> {
  readonly size: number;
  private readonly maxQueue: number;
  private readonly cancelGraceMs: number;
  private readonly slots: Array<Slot<Req, Res>> = [];
  private queue: Array<Job<Req, Res>> = [];
  private nextId = 1;
  private spawnCount = 0;
  private closed = false;

  constructor(private readonly options: WorkerPoolOptions) {
    this.size = Math.max(1, Math.floor(options.size ?? os.availableParallelism()));
    this.maxQueue = options.maxQueue ?? Infinity;
    this.cancelGraceMs = options.cancelGraceMs ?? 5000;
  }

  /** Jobs waiting for a worker. */
  get queuedCount(): number {
    return this.queue.length;
  }

  /** Workers currently alive (busy or idle). */
  get workerCount(): number {
    return this.slots.length;
  }

  /** Workers started so far, replacements included. */
  get startedWorkerCount(): number {
    return this.spawnCount;
  }

  run(req: Req, options: RunOptions = {}): Promise<Res> {
    if (this.closed) return Promise.reject(new AppError('cancelled', 'worker pool is closed'));
    if (options.signal?.aborted) return Promise.reject(new AppError('cancelled'));
    return new Promise<Res>((resolve, reject) => {
      const job: Job<Req, Res> = {
        id: this.nextId++,
        req,
        options,
        resolve,
        reject,
        settled: false,
        detachSignal: () => undefined,
      };
      const signal = options.signal;
      if (signal) {
        const onAbort = (): void => this.cancel(job);
        signal.addEventListener('abort', onAbort, { once: true });
        job.detachSignal = () => signal.removeEventListener('abort', onAbort);
      }
      this.queue.push(job);
      this.dispatch();
      if (this.queue.length > this.maxQueue && this.queue[this.queue.length - 1] === job) {
        this.queue.pop();
        this.settle(job, () => reject(new AppError('internal', `worker pool queue is full (${this.maxQueue} waiting)`)));
      }
    });
  }

  /**
   * Runs `req` at once on an idle started worker, or returns null: none is idle (all busy, or none started yet) or
   * jobs are waiting. Never starts a worker nor queues: for work that only helps when a core is free now.
   */
  runIfIdle(req: Req, options: RunOptions = {}): Promise<Res> | null {
    if (this.closed || this.queue.length > 0 || options.signal?.aborted) return null;
    if (!this.slots.some((s) => s.job === undefined)) return null;
    return this.run(req, options);
  }

  /**
   * Starts workers without a job, up to `count` alive (at most the pool's size), so that runIfIdle finds one: for
   * hosts that keep the pool (the app), which pay a worker's start (a few hundred ms, ~35 MB) once, not per query.
   */
  warm(count = this.size): void {
    if (this.closed) return;
    try {
      while (this.slots.length < Math.min(count, this.size)) this.spawn();
    } catch {
      // Workers that cannot start: the next job's dispatch reports why.
    }
  }

  /** Rejects every queued and running job with 'cancelled' and terminates all workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const closing = new AppError('cancelled', 'worker pool is closed');
    for (const job of this.queue) this.settle(job, () => job.reject(closing));
    this.queue = [];
    const slots = this.slots.splice(0);
    for (const slot of slots) {
      clearTimeout(slot.graceTimer);
      const job = slot.job;
      if (job) this.settle(job, () => job.reject(closing));
    }
    // A worker being terminated does not keep the event loop alive, ref'd or not: were nothing else pending, the
    // process would end before the terminations resolve (a caller awaiting close() at top level exits 13; seen with a
    // worker that had just helped a search). A timer holds the loop open until they have.
    const keepAlive = setInterval(() => {}, 1000);
    try {
      await Promise.all(slots.map((slot) => slot.worker.terminate()));
    } finally {
      clearInterval(keepAlive);
    }
  }

  private dispatch(): void {
    while (!this.closed && this.queue.length > 0) {
      let slot = this.slots.find((s) => s.job === undefined);
      if (!slot) {
        if (this.slots.length >= this.size) return;
        try {
          slot = this.spawn();
        } catch (err) {
          // Bad options (e.g. an execArgv flag workers do not accept): no worker can run this job.
          const job = this.queue.shift()!;
          this.settle(job, () => job.reject(new AppError('internal', `cannot start worker: ${(err as Error).message}`)));
          continue;
        }
      }
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot<Req, Res> {
    this.spawnCount++;
    const worker = new Worker(this.options.script, {
      execArgv: this.options.execArgv ? [...this.options.execArgv] : [],
      workerData: this.options.workerData,
      name: `${this.options.name ?? 'pool'}-${this.spawnCount}`,
    });
    const slot: Slot<Req, Res> = { worker, job: undefined, crashError: undefined, graceTimer: undefined };
    worker.on('message', (message: FromWorkerMessage<Res>) => this.onMessage(slot, message));
    worker.on('messageerror', (err: Error) => this.onMessageError(slot, err));
    worker.on('error', (err: Error) => {
      slot.crashError = err;
    });
    worker.on('exit', (exitCode: number) => this.onExit(slot, exitCode));
    worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot<Req, Res>, job: Job<Req, Res>): void {
    slot.job = job;
    slot.worker.ref();
    const message: ToWorkerMessage<Req> = { type: 'run', id: job.id, req: job.req };
    try {
      slot.worker.postMessage(message, job.options.transfer);
    } catch (err) {
      this.release(slot);
      this.settle(job, () => job.reject(new AppError('internal', `cannot send job: ${(err as Error).message}`)));
    }
  }

  /** Marks the slot free for the next job. */
  private release(slot: Slot<Req, Res>): void {
    slot.job = undefined;
    clearTimeout(slot.graceTimer);
    slot.graceTimer = undefined;
    slot.worker.unref();
  }

  private settle(job: Job<Req, Res>, complete: () => void): void {
    if (job.settled) return;
    job.settled = true;
    job.detachSignal();
    complete();
  }

  private onMessage(slot: Slot<Req, Res>, message: FromWorkerMessage<Res>): void {
    const job = slot.job;
    if (!job || message.id !== job.id) return; // a late answer to a job this slot no longer runs
    if (message.type === 'progress') {
      if (!job.settled) job.options.onProgress?.(message.progress);
      return;
    }
    this.release(slot);
    if (message.type === 'done') this.settle(job, () => job.resolve(message.result));
    else this.settle(job, () => job.reject(appErrorFromInfo(message.error)));
    this.dispatch();
  }

  private onMessageError(slot: Slot<Req, Res>, err: Error): void {
    // A reply that could not be deserialized: the job's answer is lost, so fail it and free the worker.
    const job = slot.job;
    if (!job) return;
    this.release(slot);
    this.settle(job, () => job.reject(new AppError('internal', `unreadable worker reply: ${err.message}`)));
    this.dispatch();
  }

  private onExit(slot: Slot<Req, Res>, exitCode: number): void {
    clearTimeout(slot.graceTimer);
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
    const job = slot.job;
    slot.job = undefined;
    if (job) {
      const why = slot.crashError ? `: ${slot.crashError.message}` : '';
      const error = new AppError('internal', `worker exited with code ${exitCode}${why}`, { cause: slot.crashError });
      this.settle(job, () => job.reject(error));
    }
    this.dispatch(); // starts a replacement if jobs are waiting
  }

  private cancel(job: Job<Req, Res>): void {
    if (job.settled) return;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      this.settle(job, () => job.reject(new AppError('cancelled')));
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    this.settle(job, () => job.reject(new AppError('cancelled')));
    if (!slot) return;
    const message: ToWorkerMessage<Req> = { type: 'cancel', id: job.id };
    slot.worker.postMessage(message);
    // The slot stays busy until the worker answers; a worker that never checks its signal is terminated.
    slot.graceTimer = setTimeout(() => {
      if (slot.job === job) void slot.worker.terminate();
    }, this.cancelGraceMs);
    slot.graceTimer.unref();
  }
}
