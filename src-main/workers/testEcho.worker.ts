// A worker entry for workerPool.test.ts only: echoes, sleeps (cooperatively cancellable), spins (not cancellable),
// throws, exits, crashes, reports progress and doubles a transferred Float32Array.
import { threadId } from 'node:worker_threads';
import { AppError } from '../engine/errors.js';
import { serveWorker } from './workerHost.js';

export type TestRequest =
  | { kind: 'echo'; value: unknown }
  | { kind: 'sleep'; ms: number }
  /** Arrives at a rendezvous (an Int32 counter in shared memory) and waits up to timeoutMs for `parties` arrivals. */
  | { kind: 'meet'; counter: SharedArrayBuffer; parties: number; timeoutMs: number }
  | { kind: 'spin'; ms: number }
  | { kind: 'throw'; appError: boolean; message: string }
  | { kind: 'exit'; code: number }
  | { kind: 'crash' }
  | { kind: 'progress'; steps: number }
  | { kind: 'double'; samples: Float32Array };

export interface TestResult {
  threadId: number;
  startedAt: number;
  finishedAt: number;
  value?: unknown;
  samples?: Float32Array;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

serveWorker<TestRequest, TestResult>(
  async (req, { signal, progress }) => {
    const startedAt = Date.now();
    const done = (extra: Partial<TestResult> = {}): TestResult => ({ threadId, startedAt, finishedAt: Date.now(), ...extra });
    switch (req.kind) {
      case 'echo':
        return { result: done({ value: req.value }) };
      case 'sleep':
        await sleep(req.ms, signal);
        return { result: done() };
      case 'meet': {
        // Only jobs that run at the same time can all arrive: no timing needed to prove parallelism.
        const cell = new Int32Array(req.counter);
        Atomics.add(cell, 0, 1);
        Atomics.notify(cell, 0);
        const deadline = Date.now() + req.timeoutMs;
        for (let seen = Atomics.load(cell, 0); seen < req.parties && Date.now() < deadline; seen = Atomics.load(cell, 0)) {
          Atomics.wait(cell, 0, seen, Math.max(1, deadline - Date.now()));
        }
        return { result: done({ value: Atomics.load(cell, 0) >= req.parties }) };
      }
      case 'spin': {
        const until = Date.now() + req.ms;
        while (Date.now() < until) {
          // Busy: never yields, so a cancel message cannot be seen.
        }
        return { result: done() };
      }
      case 'throw':
        if (req.appError) throw new AppError('decode-failed', req.message);
        throw new Error(req.message);
      case 'exit':
        return process.exit(req.code); // ends this worker thread only
      case 'crash':
        setTimeout(() => {
          throw new Error('boom outside any job');
        }, 0);
        await sleep(10_000, signal);
        return { result: done() };
      case 'progress':
        for (let step = 1; step <= req.steps; step++) {
          progress({ step });
          await sleep(5, signal);
        }
        return { result: done() };
      case 'double': {
        const samples = req.samples.map((x) => x * 2);
        return { result: done({ samples }), transfer: [samples.buffer] };
      }
    }
  },
  { progressIntervalMs: 0 },
);
