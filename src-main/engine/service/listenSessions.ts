// The open listening sessions, by id: Keep listening's (a stream matcher over the library, ListenSession) and Listen's
// single answer (the whole clip searched as identifyClip would, ListenClip). Each push adds only the new audio, and
// calls on one session run one after another. At most LIMITS.maxListenSessions at once ('library-busy' beyond); one
// with no call for `idleMs` is dropped (a dropped clip session writes nothing to History). The service's thread.
import { LIMITS, type IdentifyRequest, type ListenLogEntry, type ListenStartRequest, type ListenState } from '../../../src-preload/contract/api.js';
import type { IdentifyResult } from '../../../src-preload/contract/library.js';
import { AppError } from '../errors.js';
import { ListenSession } from '../jobs/listenSession.js';
import type { LibraryEngine } from '../libraryEngine.js';
import { ListenClip } from './listenClip.js';

/** What both kinds of session answer. */
interface Session {
  push(samples: Float32Array): Promise<Omit<ListenState, 'sessionId'>>;
  stop(): Promise<Omit<ListenState, 'sessionId'>>;
  state(): Omit<ListenState, 'sessionId'>;
}

/** Where the sessions' answers go: History (undefined while there is none, e.g. the library is closed). */
export interface ListenHistory {
  /** A song the Keep listening session `sessionId` confirmed (once per song). */
  rememberHeard(sessionId: string, entry: ListenLogEntry): void;
  /** A clip session's answer, at its stop (once per session, only with a history key), as identifyClip's with a key. */
  rememberIdentify(request: IdentifyRequest & { readonly historyKey: string }, result: IdentifyResult): void;
}

interface OpenSession {
  readonly session: Session;
  lastUsedMs: number;
  /** The calls made on it so far: the next one runs after them. */
  queue: Promise<unknown>;
}

export class ListenSessions {
  private readonly sessions = new Map<string, OpenSession>();
  private sweep: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly idleMs: number,
    private readonly history: () => ListenHistory | undefined,
    private readonly log: (message: string, error?: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** A confirmed song to History; a failure is logged (the session goes on listening). */
  private heard(sessionId: string, entry: ListenLogEntry): void {
    try {
      this.history()?.rememberHeard(sessionId, entry);
    } catch (error) {
      this.log('keep listening: the song could not be written to History', error);
    }
  }

  start(library: LibraryEngine, request: ListenStartRequest): ListenState {
    const { sessionId, clip } = request;
    this.dropIdle();
    if (this.sessions.has(sessionId)) throw new AppError('invalid-argument', `a listening session with id ${sessionId} is already open`);
    if (this.sessions.size >= LIMITS.maxListenSessions) {
      throw new AppError('library-busy', `${LIMITS.maxListenSessions} listening sessions are open already; stop one first`);
    }
    const session: Session = clip
      ? new ListenClip(library, clip, (request, result) => this.history()?.rememberIdentify(request, result)) // a failure: listenStop's error
      : new ListenSession(library.identifyDeps(), (entry) => this.heard(sessionId, entry));
    this.sessions.set(sessionId, { session, lastUsedMs: this.now(), queue: Promise.resolve() });
    this.sweep ??= setInterval(() => this.dropIdle(), Math.max(1000, Math.min(15_000, this.idleMs / 4)));
    this.sweep.unref?.();
    return { sessionId, ...session.state() };
  }

  push(sessionId: string, samples: Float32Array): Promise<ListenState> {
    return this.onSession(sessionId, async (session) => ({ sessionId, ...(await session.push(samples)) }));
  }

  stop(sessionId: string): Promise<ListenState> {
    return this.onSession(sessionId, async (session) => {
      try {
        return { sessionId, ...(await session.stop()) };
      } finally {
        this.sessions.delete(sessionId);
      }
    });
  }

  /** Waits for the calls in flight, then forgets every session. */
  async close(): Promise<void> {
    if (this.sweep) clearInterval(this.sweep);
    this.sweep = undefined;
    await Promise.all([...this.sessions.values()].map((s) => s.queue));
    this.sessions.clear();
  }

  /** Runs `body` on the session after the calls already made on it. */
  private onSession<T>(sessionId: string, body: (session: Session) => Promise<T>): Promise<T> {
    this.dropIdle();
    const entry = this.sessions.get(sessionId);
    if (!entry) throw new AppError('not-found', 'that listening session has ended (stopped, or no audio for a minute)');
    entry.lastUsedMs = this.now();
    const next = entry.queue.then(() => body(entry.session));
    entry.queue = next.catch(() => undefined);
    return next.finally(() => (entry.lastUsedMs = this.now()));
  }

  private dropIdle(): void {
    const now = this.now();
    for (const [id, entry] of this.sessions) if (now - entry.lastUsedMs > this.idleMs) this.sessions.delete(id);
    if (this.sessions.size === 0 && this.sweep) {
      clearInterval(this.sweep);
      this.sweep = undefined;
    }
  }
}
