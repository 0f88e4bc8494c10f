// A LibraryBackend for tests of the doors: every method records its call and answers { ok: true, value: {method,
// args} } (or what a test sets), and events are emitted by hand. Test-only; no engine, no I/O.
import { EventEmitter } from 'node:events';
import { LIBRARY_METHODS, type LibraryEventName, type LibraryEvents, type LibraryMethod } from '../../../src-preload/contract/api.js';
import type { Result } from '../../../src-preload/contract/library.js';
import type { LibraryBackend } from '../../engine/libraryBackend.js';

export interface FakeBackend extends LibraryBackend {
  readonly calls: Array<{ method: LibraryMethod; args: unknown[] }>;
  /** Overrides one method's behaviour (return a Result, throw, or return garbage). */
  answer(method: LibraryMethod, impl: (...args: unknown[]) => unknown): void;
  emit<E extends LibraryEventName>(event: E, payload: LibraryEvents[E]): void;
  listenerCount(event: LibraryEventName): number;
  closed: boolean;
}

export function createFakeBackend(): FakeBackend {
  const emitter = new EventEmitter();
  const calls: FakeBackend['calls'] = [];
  const impls = new Map<LibraryMethod, (...args: unknown[]) => unknown>();
  const backend = {
    calls,
    closed: false,
    answer(method: LibraryMethod, impl: (...args: unknown[]) => unknown) {
      impls.set(method, impl);
    },
    emit(event: LibraryEventName, payload: unknown) {
      emitter.emit(event, payload);
    },
    listenerCount(event: LibraryEventName) {
      return emitter.listenerCount(event);
    },
    on(event: LibraryEventName, listener: (payload: unknown) => void) {
      emitter.on(event, listener);
      return () => {
        emitter.off(event, listener);
      };
    },
    async close() {
      backend.closed = true;
    },
  } as Record<string, unknown> & { closed: boolean };
  for (const method of LIBRARY_METHODS) {
    backend[method] = async (...args: unknown[]): Promise<Result<unknown>> => {
      calls.push({ method, args });
      const impl = impls.get(method);
      if (impl) return impl(...args) as Result<unknown>;
      return { ok: true, value: { method, args } };
    };
  }
  return backend as unknown as FakeBackend;
}
