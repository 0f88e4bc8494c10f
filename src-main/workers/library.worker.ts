// Worker entry: opens the LibraryService (with its own fingerprint worker pool) and serves calls and events to the
// door's thread. Thin: the work lives in engine/libraryService.ts.
import { parentPort, workerData } from 'node:worker_threads';
import { LIBRARY_EVENTS } from '../../src-preload/contract/api.js';
import type { Result } from '../../src-preload/contract/library.js';
import { toErrorInfo } from '../engine/errors.js';
import { LibraryService } from '../engine/libraryService.js';
import { workerRunners } from './fingerprintRunners.js';
import type { FromLibraryWorker, LibraryWorkerData, LibraryWorkerMethod, ToLibraryWorker } from './libraryProtocol.js';

const port = parentPort!;
const data = workerData as LibraryWorkerData;
/** Methods whose last parameter is an AbortSignal the door may fire with a 'cancel' message. */
const CANCELLABLE: ReadonlySet<LibraryWorkerMethod> = new Set<LibraryWorkerMethod>(['identifyClip', 'tracklistClip', 'tracklistFile']);
const running = new Map<number, AbortController>();
const send = (message: FromLibraryWorker, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);

try {
  const service = await LibraryService.open({
    dataDir: data.dataDir,
    runners: workerRunners(data.workerCount),
    watch: data.watch,
    appVersion: data.appVersion,
    downloadableModels: data.downloadableModels,
  });
  for (const name of LIBRARY_EVENTS) service.on(name, (payload) => send({ type: 'event', name, payload } as FromLibraryWorker));
  port.on('message', (message: ToLibraryWorker) => {
    if (message.type === 'close') {
      void service.close().finally(() => {
        send({ type: 'closed' });
        port.close();
      });
      return;
    }
    if (message.type === 'cancel') {
      running.get(message.id)?.abort();
      return;
    }
    if (message.type === 'ping') {
      send({ type: 'pong', id: message.id });
      return;
    }
    const { id, method, args } = message;
    // Arguments were parsed by the door; the service still never throws (it answers Results). identifyClip and the
    // tracklists take a signal, aborted by a 'cancel' message (they yield between search steps and decoded chunks, so
    // the message gets through).
    const call = service[method].bind(service) as (...a: unknown[]) => Promise<Result<unknown>>;
    const controller = CANCELLABLE.has(method) ? new AbortController() : undefined;
    if (controller) running.set(id, controller);
    void call(...(controller ? [...args, controller.signal] : args))
      .catch((error: unknown): Result<unknown> => ({ ok: false, error: toErrorInfo(error) }))
      .then((result) => {
        running.delete(id);
        send({ type: 'result', id, result });
      });
  });
  send({ type: 'ready' });
} catch (error) {
  send({ type: 'open-failed', error: toErrorInfo(error) });
}
