// The fake library's only window on time: the caller's clock (real timers in the renderer's dev mode and in tests;
// the contract itself has no timers), so the fake stays pure and a test could pass a manual one.
export interface FakeClock {
  /** The current time (History entries, failed files, folder scans). */
  now(): Date;
  /** Runs `run` once after `ms` milliseconds (0: on a later task); answers a function that cancels it. */
  after(ms: number, run: () => void): () => void;
}

/** Runs `run` on the next microtask: after the current call has answered, before any timer. */
export function soon(run: () => void): void {
  void Promise.resolve().then(run);
}
