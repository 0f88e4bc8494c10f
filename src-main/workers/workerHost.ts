// The worker side of WorkerPool: serveWorker(handler) answers 'run' messages from the parent port, turns 'cancel'
// into an aborted signal, throttles progress, and sends failures back as AppErrorInfo. Runs inside a worker thread.
import { parentPort, type Transferable } from 'node:worker_threads';
import { AppError, toErrorInfo } from '../engine/errors.js';
import type { FromWorkerMessage, ToWorkerMessage } from './workerProtocol.js';

export interface WorkerJobContext {
  /** Aborted when the pool cancels this job; long jobs should check it between steps (cooperative). */
  readonly signal: AbortSignal;
  /** Reports progress to the caller's onProgress; calls closer together than progressIntervalMs are dropped. */
  readonly progress: (progress: unknown) => void;
}

export type WorkerHandler<Req, Res> = (req: Req, ctx: WorkerJobContext) => Promise<{ result: Res; transfer?: readonly Transferable[] }>;

export interface ServeWorkerOptions {
  /** Minimum milliseconds between two progress messages of one job (default 100; 0 sends all). */
  readonly progressIntervalMs?: number;
}

export function serveWorker<Req, Res>(handler: WorkerHandler<Req, Res>, options: ServeWorkerOptions = {}): void {
  const port = parentPort;
  if (!port) throw new Error('serveWorker must be called in a worker thread');
  const progressIntervalMs = options.progressIntervalMs ?? 100;
  const running = new Map<number, AbortController>();

  const send = (message: FromWorkerMessage<Res>, transfer?: readonly Transferable[]): void => {
    port.postMessage(message, transfer);
  };

  async function runJob(id: number, req: Req): Promise<void> {
    const controller = new AbortController();
    running.set(id, controller);
    let lastProgressAt = -Infinity;
    const progress = (value: unknown): void => {
      const now = performance.now();
      if (controller.signal.aborted || now - lastProgressAt < progressIntervalMs) return;
      lastProgressAt = now;
      send({ type: 'progress', id, progress: value });
    };
    try {
      const { result, transfer } = await handler(req, { signal: controller.signal, progress });
      try {
        send({ type: 'done', id, result }, transfer);
      } catch (err) {
        // The result could not be cloned (a function, a detached buffer...): a bug in the handler.
        send({ type: 'error', id, error: { code: 'internal', detail: `unsendable result: ${(err as Error).message}` } });
      }
    } catch (err) {
      const error = controller.signal.aborted && !(err instanceof AppError) ? { code: 'cancelled' as const } : toErrorInfo(err);
      send({ type: 'error', id, error });
    } finally {
      running.delete(id);
    }
  }

  port.on('message', (message: ToWorkerMessage<Req>) => {
    if (message.type === 'run') void runJob(message.id, message.req);
    else if (message.type === 'cancel') running.get(message.id)?.abort(new AppError('cancelled'));
  });
}
