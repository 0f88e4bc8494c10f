// WorkerPool + serveWorker against a real worker thread (testEcho.worker.ts, compiled or from source through tsx):
// results, parallelism, typed errors, crash recovery, cancellation, transfers, progress, bounded queue.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '../engine/errors.js';
import { COMPILED_TWINS_ENV, resolveWorkerScript } from './resolveWorkerScript.js';
import type { TestRequest, TestResult } from './testEcho.worker.js';
import { WorkerPool, type WorkerPoolOptions } from './workerPool.js';

const entry = resolveWorkerScript(import.meta.url, 'testEcho.worker');
const pools: Array<WorkerPool<TestRequest, TestResult>> = [];

function makePool(options: Partial<WorkerPoolOptions> = {}): WorkerPool<TestRequest, TestResult> {
  const pool = new WorkerPool<TestRequest, TestResult>({ script: entry.url, execArgv: entry.execArgv, size: 1, ...options });
  pools.push(pool);
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.close()));
});

describe('resolveWorkerScript', () => {
  const source = 'file:///app/src-main/workers/fingerprintClient.ts';

  it('points at the .ts sibling with a tsx import when running from source', () => {
    vi.stubEnv(COMPILED_TWINS_ENV, undefined);
    const fromSource = resolveWorkerScript(source, 'fingerprint.worker');
    expect(fromSource.url.href).toBe('file:///app/src-main/workers/fingerprint.worker.ts');
    expect(fromSource.execArgv[0]).toBe('--import');
    expect(fromSource.execArgv[1]).toMatch(/registerTsx\.mjs$/);
  });

  it('points at the .js sibling without flags when running compiled code', () => {
    const compiled = resolveWorkerScript('file:///app/out/src-main/workers/fingerprintClient.js', 'fingerprint.worker');
    expect(compiled.url.href).toBe('file:///app/out/src-main/workers/fingerprint.worker.js');
    expect(compiled.execArgv).toEqual([]);
  });

  it("points a source caller at the entry's compiled twin when the test run compiled the project, if the twin exists", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'twins-'));
    try {
      mkdirSync(path.join(dir, 'out', 'src-main', 'workers'), { recursive: true });
      writeFileSync(path.join(dir, 'out', 'src-main', 'workers', 'fingerprint.worker.js'), '');
      vi.stubEnv(COMPILED_TWINS_ENV, path.join(dir, 'out'));
      const caller = pathToFileURL(path.join(dir, 'src-main', 'workers', 'fingerprintClient.ts')).href;
      const twin = resolveWorkerScript(caller, 'fingerprint.worker');
      expect(fileURLToPath(twin.url)).toBe(path.join(dir, 'out', 'src-main', 'workers', 'fingerprint.worker.js'));
      expect(twin.execArgv).toEqual([]);
      // No twin (a file the build does not hold), or a caller outside the compiled tree: from source, as before.
      expect(resolveWorkerScript(caller, 'library.worker').url.href).toMatch(/\/src-main\/workers\/library\.worker\.ts$/);
      expect(resolveWorkerScript(source, 'fingerprint.worker').url.href).toBe('file:///app/src-main/workers/fingerprint.worker.ts');
    } finally {
      vi.unstubAllEnvs();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('this run starts the real workers from their compiled twins once the project is compiled', () => {
    // vitest.globalSetup.ts compiles before the tests; only a failed compile leaves the variable unset.
    if (process.env[COMPILED_TWINS_ENV]) expect(entry.url.pathname).toMatch(/\/out\/src-main\/workers\/testEcho\.worker\.js$/);
    else expect(entry.url.pathname).toMatch(/\/src-main\/workers\/testEcho\.worker\.ts$/);
  });
});

describe('WorkerPool', () => {
  it('returns results', async () => {
    const pool = makePool();
    const result = await pool.run({ kind: 'echo', value: { a: [1, 2], b: 'x' } });
    expect(result.value).toEqual({ a: [1, 2], b: 'x' });
    expect(typeof result.threadId).toBe('number');
  });

  it('runs jobs in parallel on size 2 and queues the rest', async () => {
    const pool = makePool({ size: 2 });
    // The first two must meet at a rendezvous in shared memory, which they can only do running at the same time
    // (however slowly a loaded machine starts the threads); the third waits for one of them.
    const counter = new SharedArrayBuffer(4);
    const meet = { kind: 'meet', counter, parties: 2, timeoutMs: 30_000 } as const;
    const jobs = [pool.run(meet), pool.run(meet), pool.run({ kind: 'sleep', ms: 50 })];
    expect(pool.queuedCount).toBe(1);
    const [a, b, c] = await Promise.all(jobs);
    expect(a.threadId).not.toBe(b.threadId);
    expect([a.value, b.value]).toEqual([true, true]);
    expect(c.startedAt).toBeGreaterThanOrEqual(Math.min(a.finishedAt, b.finishedAt));
    expect(pool.workerCount).toBe(2);
  });

  it('runIfIdle runs only on a started, idle worker: never starts one, never queues; warm starts them without a job', async () => {
    const pool = makePool({ size: 2 });
    expect(pool.runIfIdle({ kind: 'echo', value: 1 })).toBeNull(); // none started
    expect(pool.workerCount).toBe(0);
    pool.warm(1);
    pool.warm(1); // already one alive
    expect(pool.workerCount).toBe(1);
    expect(await pool.runIfIdle({ kind: 'echo', value: 2 })).toMatchObject({ value: 2 });
    const busy = pool.run({ kind: 'sleep', ms: 300 });
    expect(pool.runIfIdle({ kind: 'echo', value: 3 })).toBeNull(); // its one worker is busy
    const queued = pool.run({ kind: 'echo', value: 4 }); // a second worker starts for it
    expect(pool.runIfIdle({ kind: 'echo', value: 5 })).toBeNull();
    await Promise.all([busy, queued]);
    pool.warm(5);
    expect(pool.workerCount).toBe(2); // never past the pool's size
    expect(pool.startedWorkerCount).toBe(2);
  });

  it('re-throws an AppError from the worker with its code, and keeps working', async () => {
    const pool = makePool();
    await expect(pool.run({ kind: 'throw', appError: true, message: 'bad frame' })).rejects.toMatchObject({
      name: 'AppError',
      code: 'decode-failed',
      detail: 'bad frame',
    });
    const plain = pool.run({ kind: 'throw', appError: false, message: 'oops' });
    await expect(plain).rejects.toBeInstanceOf(AppError);
    await expect(plain).rejects.toMatchObject({ code: 'internal', detail: 'oops' });
    expect((await pool.run({ kind: 'echo', value: 1 })).value).toBe(1);
    expect(pool.startedWorkerCount).toBe(1);
  });

  it('rejects the job of a worker that calls process.exit, and replaces the worker', async () => {
    const pool = makePool();
    const first = await pool.run({ kind: 'echo', value: 0 });
    await expect(pool.run({ kind: 'exit', code: 3 })).rejects.toMatchObject({ code: 'internal' });
    const after = await pool.run({ kind: 'echo', value: 2 });
    expect(after.value).toBe(2);
    expect(after.threadId).not.toBe(first.threadId);
    expect(pool.startedWorkerCount).toBe(2);
  });

  it('rejects the job of a worker that crashes with an uncaught error, and replaces the worker', async () => {
    const pool = makePool();
    const queuedBehind = pool.run({ kind: 'echo', value: 'next' });
    const crashing = pool.run({ kind: 'crash' });
    // The job queued before the crash runs first; the crash fails only its own job.
    expect((await queuedBehind).value).toBe('next');
    await expect(crashing).rejects.toThrow(/boom outside any job/);
    expect((await pool.run({ kind: 'echo', value: 3 })).value).toBe(3);
  });

  it('rejects jobs with a typed error when its workers cannot start', async () => {
    const pool = makePool({ script: new URL('./noSuchEntry.worker.js', import.meta.url), execArgv: [] });
    await expect(pool.run({ kind: 'echo', value: 1 })).rejects.toMatchObject({ name: 'AppError', code: 'internal' });
    const badFlags = makePool({ execArgv: ['--no-such-node-flag'] });
    await expect(badFlags.run({ kind: 'echo', value: 1 })).rejects.toMatchObject({ code: 'internal' });
  });

  it('drops a queued job when its signal aborts', async () => {
    const pool = makePool();
    const running = pool.run({ kind: 'sleep', ms: 200 });
    const controller = new AbortController();
    const queued = pool.run({ kind: 'echo', value: 'never' }, { signal: controller.signal });
    expect(pool.queuedCount).toBe(1);
    controller.abort();
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect(pool.queuedCount).toBe(0);
    await running;
  });

  it('rejects at once when the signal is already aborted', async () => {
    const pool = makePool();
    await expect(pool.run({ kind: 'echo', value: 1 }, { signal: AbortSignal.abort() })).rejects.toMatchObject({
      code: 'cancelled',
    });
  });

  it('cancels a running job through the worker and reuses that worker', async () => {
    const pool = makePool();
    const first = await pool.run({ kind: 'echo', value: 'first' });
    const controller = new AbortController();
    // A sleep far longer than the test's timeout: only the cancel reaching the worker frees it for the next job (one
    // that ignored it would be terminated after the grace period and replaced: a second worker).
    const job = pool.run({ kind: 'sleep', ms: 10 * 60_000 }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    const next = await pool.run({ kind: 'echo', value: 'after cancel' });
    expect(next.value).toBe('after cancel');
    expect(next.threadId).toBe(first.threadId);
    expect(pool.startedWorkerCount).toBe(1);
  });

  it('terminates a worker that ignores a cancel after the grace period', async () => {
    const pool = makePool({ cancelGraceMs: 200 });
    const controller = new AbortController();
    const job = pool.run({ kind: 'spin', ms: 30_000 }, { signal: controller.signal });
    const next = pool.run({ kind: 'echo', value: 'replacement' });
    setTimeout(() => controller.abort(), 100);
    await expect(job).rejects.toMatchObject({ code: 'cancelled' });
    expect((await next).value).toBe('replacement');
    expect(pool.startedWorkerCount).toBe(2);
  });

  it('transfers a Float32Array both ways', async () => {
    const pool = makePool();
    const samples = new Float32Array([1, 2.5, -3]);
    const result = await pool.run({ kind: 'double', samples }, { transfer: [samples.buffer] });
    expect(samples.byteLength).toBe(0); // moved, not copied
    expect(result.samples).toBeInstanceOf(Float32Array);
    expect(Array.from(result.samples!)).toEqual([2, 5, -6]);
  });

  it('forwards progress to onProgress', async () => {
    const pool = makePool();
    const seen: unknown[] = [];
    await pool.run({ kind: 'progress', steps: 3 }, { onProgress: (p) => seen.push(p) });
    expect(seen).toEqual([{ step: 1 }, { step: 2 }, { step: 3 }]);
  });

  it('rejects jobs beyond maxQueue', async () => {
    const pool = makePool({ maxQueue: 1 });
    const running = pool.run({ kind: 'sleep', ms: 100 });
    const waiting = pool.run({ kind: 'echo', value: 1 });
    await expect(pool.run({ kind: 'echo', value: 2 })).rejects.toMatchObject({ code: 'internal' });
    await Promise.all([running, waiting]);
  });

  it('close() rejects queued and running jobs and refuses new ones', async () => {
    const pool = makePool();
    const running = pool.run({ kind: 'sleep', ms: 10_000 });
    const queued = pool.run({ kind: 'echo', value: 1 });
    const outcomes = Promise.allSettled([running, queued]);
    await pool.close();
    for (const outcome of await outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { code: 'cancelled' } });
    }
    await expect(pool.run({ kind: 'echo', value: 2 })).rejects.toMatchObject({ code: 'cancelled' });
    expect(pool.workerCount).toBe(0);
  });
});
