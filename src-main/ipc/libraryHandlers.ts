// contract -> engine over IPC: one ipcMain.handle per LibraryApi method (channel names derived from the contract).
// Each call checks the sender, parses its arguments (they arrive as unknown) and forwards to the backend; nothing
// throws across IPC (Electron keeps only an error's message): every outcome is a Result with a typed code.
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { LIBRARY_METHODS, callChannel, type AsyncLibraryApi, type LibraryMethod } from '../../src-preload/contract/api.js';
import type { Result } from '../../src-preload/contract/library.js';
import { parseArgs } from '../../src-preload/contract/parseArgs.js';
import { toErrorInfo } from '../engine/errors.js';
import { isTrustedSender, type SenderEvent } from './senderCheck.js';

/** The backend as the handlers see it; a promise while it opens (calls made meanwhile wait for it). */
export type BackendSource = AsyncLibraryApi | Promise<AsyncLibraryApi>;

export interface HandlerOptions {
  /** Logs bugs (errors that are not AppErrors); default console.error. */
  readonly logError?: (message: string, error: unknown) => void;
}

/** Runs one call as a handler would: sender check, argument parsing, the backend, errors to Result. Never throws. */
export async function handleLibraryCall(
  backend: BackendSource,
  method: LibraryMethod,
  event: SenderEvent,
  args: readonly unknown[],
  options: HandlerOptions = {},
): Promise<Result<unknown>> {
  if (!isTrustedSender(event)) return { ok: false, error: { code: 'permission-denied', detail: `${method}: caller is not the app's own page` } };
  const parsed = parseArgs(method, args);
  if (!parsed.ok) return parsed;
  try {
    const api = await backend;
    const call = api[method] as (...a: unknown[]) => Promise<Result<unknown>>;
    const result = await call.apply(api, parsed.value as unknown[]);
    if (!isResult(result)) return { ok: false, error: { code: 'internal', detail: `${method}: the backend returned no Result` } };
    return result;
  } catch (error) {
    const info = toErrorInfo(error);
    if (info.code === 'internal') (options.logError ?? defaultLog)(`library call ${method} failed`, error);
    return { ok: false, error: info };
  }
}

function isResult(value: unknown): value is Result<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

const defaultLog = (message: string, error: unknown): void => console.error(message, error);

/** Registers every method's handler; returns a function that removes them (tests, shutdown). */
export function registerLibraryHandlers(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, backend: BackendSource, options: HandlerOptions = {}): () => void {
  // Keep a rejected open from becoming an unhandled rejection before the first call awaits it.
  if (backend instanceof Promise) backend.catch(() => undefined);
  for (const method of LIBRARY_METHODS) {
    ipcMain.handle(callChannel(method), (event: IpcMainInvokeEvent, ...args: unknown[]) => handleLibraryCall(backend, method, event, args, options));
  }
  return () => {
    for (const method of LIBRARY_METHODS) ipcMain.removeHandler(callChannel(method));
  };
}
