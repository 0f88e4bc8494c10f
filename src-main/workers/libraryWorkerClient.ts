// The door's side of the library worker: a LibraryBackend whose every call is a message to the worker that owns the
// LibraryService, so the door's thread (Electron main, the HTTP host) only routes. Every call answers: if the worker
// dies (an exit, an uncaught throw), its pending calls answer 'internal' and a fresh worker is started at once (the
// library reopens and repairs itself; its events flow again); a call unanswered for callTimeoutMs answers 'internal',
// and a worker that then does not answer a ping within pingTimeoutMs is terminated and restarted the same way.
import { Worker } from 'node:worker_threads';
import { LIBRARY_METHODS, type AsyncLibraryApi, type LibraryEventName, type LibraryEvents, type Unsubscribe } from '../../src-preload/contract/api.js';
import type { AppErrorInfo, IdentifyResult, Result, Tracklist } from '../../src-preload/contract/library.js';
import { AppError } from '../engine/errors.js';
import type { LibraryBackend } from '../engine/libraryBackend.js';
import type { FromLibraryWorker, LibraryWorkerData, LibraryWorkerMethod, ToLibraryWorker } from './libraryProtocol.js';
import { resolveWorkerScript, type WorkerScript } from './resolveWorkerScript.js';

export interface LibraryWorkerClientOptions {
  /** A call unanswered this long answers 'internal' and the worker's liveness is checked (default 10 min). */
  readonly callTimeoutMs?: number;
  /** After a call timed out, the worker must answer a ping within this long, or it is terminated and restarted (default 10 s). */
  readonly pingTimeoutMs?: number;
  /** The worker entry (default library.worker beside this module; tests pass a fake that speaks libraryProtocol). */
  readonly script?: WorkerScript;
}

export const DEFAULT_CALL_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_PING_TIMEOUT_MS = 10_000;

type Pending = (result: Result<unknown>) => void;
type Listener = (payload: never) => void;

export class LibraryWorkerClient {
  private worker: Worker | undefined;
  private ready: Promise<void> | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<LibraryEventName, Set<Listener>>();
  private closing = false;
  /** Pings sent to check a worker after a call timed out, by id: the timer that terminates it if no pong comes. */
  private readonly pings = new Map<number, NodeJS.Timeout>();

  private constructor(
    private readonly data: LibraryWorkerData,
    private readonly options: LibraryWorkerClientOptions,
  ) {}

  /** Starts the worker and waits until the library is open (start-up checks done); rejects if it cannot start. */
  static async start(data: LibraryWorkerData, options: LibraryWorkerClientOptions = {}): Promise<LibraryBackend> {
    const client = new LibraryWorkerClient(data, options);
    await client.ensureWorker();
    return client.asBackend();
  }

  private ensureWorker(): Promise<void> {
    if (this.ready) return this.ready;
    const script = this.options.script ?? resolveWorkerScript(import.meta.url, 'library.worker');
    const worker = new Worker(script.url, { workerData: this.data, execArgv: script.execArgv, name: 'audio-ident library' });
    this.worker = worker;
    let started = false;
    this.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (message: FromLibraryWorker) => {
        switch (message.type) {
          case 'ready':
            started = true;
            resolve();
            break;
          case 'pong':
            clearTimeout(this.pings.get(message.id));
            this.pings.delete(message.id);
            break;
          case 'open-failed':
            reject(new AppError(message.error.code, message.error.detail));
            break;
          case 'result':
            this.pending.get(message.id)?.(message.result);
            this.pending.delete(message.id);
            break;
          case 'event':
            for (const listener of this.listeners.get(message.name) ?? []) (listener as (p: unknown) => void)(message.payload);
            break;
          case 'closed':
            break;
        }
      });
      worker.on('error', (error) => {
        reject(error);
        this.failPending({ code: 'internal', detail: `the library worker crashed: ${error.message}` });
      });
      worker.on('exit', (code) => {
        reject(new AppError('internal', `the library worker exited (${code}) while starting`));
        this.failPending({ code: 'internal', detail: `the library worker stopped (exit code ${code}); it is being restarted` });
        if (this.worker !== worker) return;
        this.worker = undefined;
        this.ready = undefined;
        // A worker that ran and died is replaced at once, so the library (its watcher, its events) comes back without
        // waiting for a call. One that died while starting is not: the next call tries again (no restart loop).
        if (started && !this.closing) void this.ensureWorker().catch(() => undefined);
      });
    });
    return this.ready;
  }

  /** A call went unanswered: the worker must answer a ping in time, or it is stuck and gets replaced. */
  private checkAlive(worker: Worker): void {
    if (this.worker !== worker || this.closing) return;
    const id = this.nextId++;
    const timer = setTimeout(() => {
      this.pings.delete(id);
      if (this.worker === worker) void worker.terminate(); // 'exit' fails what is pending and starts a fresh worker
    }, this.options.pingTimeoutMs ?? DEFAULT_PING_TIMEOUT_MS);
    timer.unref();
    this.pings.set(id, timer);
    worker.postMessage({ type: 'ping', id } satisfies ToLibraryWorker);
  }

  private failPending(error: AppErrorInfo): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, error });
    this.pending.clear();
  }

  /** signal: on abort the worker is told to stop the call's work (a 'cancel' message); the call still answers. */
  private async call(method: LibraryWorkerMethod, args: readonly unknown[], signal?: AbortSignal): Promise<Result<unknown>> {
    if (this.closing) return { ok: false, error: { code: 'internal', detail: 'the library is closing' } };
    if (signal?.aborted) return { ok: false, error: { code: 'cancelled' } };
    try {
      await this.ensureWorker();
    } catch (error) {
      return { ok: false, error: { code: error instanceof AppError ? error.code : 'internal', detail: (error as Error).message } };
    }
    if (signal?.aborted) return { ok: false, error: { code: 'cancelled' } };
    const id = this.nextId++;
    const worker = this.worker!;
    const onAbort = (): void => worker.postMessage({ type: 'cancel', id } satisfies ToLibraryWorker);
    signal?.addEventListener('abort', onAbort, { once: true });
    const timeoutMs = this.options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
    return new Promise<Result<unknown>>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        signal?.removeEventListener('abort', onAbort);
        worker.postMessage({ type: 'cancel', id } satisfies ToLibraryWorker);
        resolve({ ok: false, error: { code: 'internal', detail: `the library did not answer ${method} within ${Math.round(timeoutMs / 1000)} s` } });
        this.checkAlive(worker);
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, (result) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        resolve(result);
      });
      worker.postMessage({ type: 'call', id, method, args } satisfies ToLibraryWorker);
    });
  }

  private on<E extends LibraryEventName>(event: E, listener: (payload: LibraryEvents[E]) => void): Unsubscribe {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  private async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const timer of this.pings.values()) clearTimeout(timer);
    this.pings.clear();
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      worker.once('exit', () => resolve());
      worker.postMessage({ type: 'close' } satisfies ToLibraryWorker);
      // A worker stuck in native code still goes after a grace period.
      setTimeout(() => void worker.terminate(), 15_000).unref();
    });
    this.listeners.clear();
  }

  private asBackend(): LibraryBackend {
    const methods = Object.fromEntries(LIBRARY_METHODS.map((m) => [m, (...args: unknown[]) => this.call(m, args)])) as unknown as AsyncLibraryApi;
    return {
      ...methods,
      identifyClip: (request, signal) => this.call('identifyClip', [request], signal) as Promise<Result<IdentifyResult>>,
      tracklistClip: (request, signal) => this.call('tracklistClip', [request], signal) as Promise<Result<Tracklist>>,
      tracklistFile: (request, signal) => this.call('tracklistFile', [request], signal) as Promise<Result<Tracklist>>,
      on: (event, listener) => this.on(event, listener),
      close: () => this.close(),
    };
  }
}
