// The clip search's speed/pitch hypotheses shared between two threads (issue 11: one answer on both cores). A clip that
// is not settled as recorded screens every other hypothesis of the grid, then searches the best few in full: two thirds
// of its postings on a large library, each hypothesis independent of the others. The searching thread and a helper
// (a fingerprint worker with the library open read-only) claim them one at a time, the search from the front of the
// list and the helper from its back (neighbouring hypotheses share most of their keys, so each thread's postings cache
// serves its next screen), each claim a compare-and-swap in shared memory, so that neither waits for the other to
// start: a helper that starts late, or never (its worker busy with a scan), takes fewer or none. The screens' scores are written here; the searching thread alone then picks the hypotheses to
// search in full (publishRefines), which both claim again; the helper's full votes come back with its job's answer.
// Whoever computed them, the search merges the results in hypothesis order: the same outcome as one thread's.

/** Cells of the shared array (cell 0 unused). */
/** Bumped (and notified) on every change a waiting thread may be waiting for. */
const VERSION = 1;
/** -1 until the hypotheses to search in full are published; then how many. */
const REFINE_COUNT = 2;
const NEXT_REFINE = 3;
/** 1 once the search needs nothing more: the helper stops claiming and returns. */
const STOPPED = 4;
/** 1 once a helper has begun (the searching thread may then not cancel its job unstarted). */
const HELPER_STARTED = 5;
/** Lookups the helper made for the results it has handed over (the search's count includes them). */
const HELPER_LOOKUPS = 6;
/** 1 once the search has begun its grid (it was not settled as recorded): the helper may claim screens. */
const GRID_OPEN = 7;
const HEADER = 8;

const PENDING = -1;

export class HypothesisShare {
  readonly buffer: SharedArrayBuffer;
  private readonly cells: Int32Array;
  readonly screenCount: number;
  readonly refineCapacity: number;
  /** This side's next screen to try from the front, and from the back (each side claims from one end only). */
  private front = 0;
  private back: number;

  /** `screenCount` hypotheses to screen, at most `refineCapacity` to search in full. */
  constructor(screenCount: number, refineCapacity: number);
  /** The helper's side: the buffer the searching thread made (sent with its job). */
  constructor(buffer: SharedArrayBuffer);
  constructor(a: number | SharedArrayBuffer, refineCapacity = 0) {
    if (typeof a === 'number') {
      if (!(Number.isInteger(a) && a >= 0 && Number.isInteger(refineCapacity) && refineCapacity >= 0)) throw new RangeError('bad hypothesis counts');
      this.buffer = new SharedArrayBuffer((HEADER + 2 + 2 * a + refineCapacity) * 4);
      this.cells = new Int32Array(this.buffer);
      this.cells[HEADER] = a;
      this.cells[HEADER + 1] = refineCapacity;
      this.cells.fill(PENDING, HEADER + 2, HEADER + 2 + a); // scores
      this.cells.fill(PENDING, HEADER + 2 + 2 * a); // refines
      this.cells[REFINE_COUNT] = PENDING;
    } else {
      this.buffer = a;
      this.cells = new Int32Array(a);
    }
    this.screenCount = this.cells[HEADER];
    this.refineCapacity = this.cells[HEADER + 1];
    this.back = this.screenCount - 1;
  }

  private get scoresAt(): number {
    return HEADER + 2;
  }

  /** Per screen: 1 once claimed. */
  private get claimsAt(): number {
    return HEADER + 2 + this.screenCount;
  }

  private get refinesAt(): number {
    return HEADER + 2 + 2 * this.screenCount;
  }

  get stopped(): boolean {
    return Atomics.load(this.cells, STOPPED) === 1;
  }

  /** The search needs nothing more (settled, finished, cancelled or failed): the helper returns. */
  stop(): void {
    Atomics.store(this.cells, STOPPED, 1);
    this.bump();
  }

  markHelperStarted(): void {
    Atomics.store(this.cells, HELPER_STARTED, 1);
  }

  get helperStarted(): boolean {
    return Atomics.load(this.cells, HELPER_STARTED) === 1;
  }

  /** The search was not settled as recorded: the grid's screens may be claimed (by the helper: the search claims anyway). */
  openGrid(): void {
    Atomics.store(this.cells, GRID_OPEN, 1);
    this.bump();
  }

  get gridOpen(): boolean {
    return Atomics.load(this.cells, GRID_OPEN) === 1;
  }

  /** Counts the helper's lookups for a result, before the result is handed over. */
  addHelperLookups(count: number): void {
    Atomics.add(this.cells, HELPER_LOOKUPS, count);
  }

  get helperLookups(): number {
    return Atomics.load(this.cells, HELPER_LOOKUPS);
  }

  /** Wakes whoever waits on the version (the searching thread, when the helper's job has answered). */
  touch(): void {
    this.bump();
  }

  /**
   * The next hypothesis (0-based among the screened ones) from the front of the list, or -1 once the other side's
   * claims are reached (or the search stopped). One side of a share claims from the front, the other from the back.
   */
  claimScreen(): number {
    if (this.stopped || this.front > this.back) return -1;
    const i = this.front++;
    if (this.claim(i)) return i;
    this.front = this.back + 1; // the other side has it, and everything beyond it
    return -1;
  }

  /** As claimScreen, from the back of the list (the helper's side). */
  claimScreenFromBack(): number {
    if (this.stopped || this.back < this.front) return -1;
    const i = this.back--;
    if (this.claim(i)) return i;
    this.back = this.front - 1;
    return -1;
  }

  private claim(i: number): boolean {
    return Atomics.compareExchange(this.cells, this.claimsAt + i, 0, 1) === 0;
  }

  setScore(index: number, score: number): void {
    if (!(Number.isInteger(score) && score >= 0)) throw new RangeError(`bad screen score ${score}`);
    Atomics.store(this.cells, this.scoresAt + index, score);
    this.bump();
  }

  /** The screen's score, or undefined while it is being computed (or not yet claimed). */
  score(index: number): number | undefined {
    const s = Atomics.load(this.cells, this.scoresAt + index);
    return s === PENDING ? undefined : s;
  }

  /** Screens without a score yet. */
  unscored(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.screenCount; i++) if (this.score(i) === undefined) out.push(i);
    return out;
  }

  /** Publishes the hypotheses (indices among the screened ones) to search in full, best first. */
  publishRefines(indices: readonly number[]): void {
    if (indices.length > this.refineCapacity) throw new RangeError('more hypotheses to refine than the share holds');
    indices.forEach((h, slot) => Atomics.store(this.cells, this.refinesAt + slot, h));
    Atomics.store(this.cells, REFINE_COUNT, indices.length);
    this.bump();
  }

  /** The published hypotheses to search in full, or null before they are published. */
  refines(): number[] | null {
    const count = Atomics.load(this.cells, REFINE_COUNT);
    if (count === PENDING) return null;
    return Array.from({ length: count }, (_, slot) => Atomics.load(this.cells, this.refinesAt + slot));
  }

  /** The next slot of the published refines nobody has claimed, or -1. */
  claimRefine(): number {
    const count = Atomics.load(this.cells, REFINE_COUNT);
    if (this.stopped || count === PENDING) return -1;
    const slot = Atomics.add(this.cells, NEXT_REFINE, 1);
    return slot < count ? slot : -1;
  }

  /** A number that changes whenever a score, the refines or the stop flag does. */
  get version(): number {
    return Atomics.load(this.cells, VERSION);
  }

  /** Blocks (a worker thread) until the version moves from `seen` or `timeoutMs` passes. */
  waitSync(seen: number, timeoutMs: number): void {
    Atomics.wait(this.cells, VERSION, seen, timeoutMs);
  }

  /** Resolves when the version moves from `seen` or after `timeoutMs`, without blocking the thread. */
  async changed(seen: number, timeoutMs: number): Promise<void> {
    const waited = (Atomics as unknown as AtomicsWaitAsync).waitAsync(this.cells, VERSION, seen, timeoutMs);
    if (!waited.async) return;
    // A pending waitAsync holds nothing open: were the thread's event loop otherwise empty (the helper's worker just
    // let go), Node would end the process with the wait unanswered. A timer keeps the loop alive meanwhile.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([waited.value, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  }

  private bump(): void {
    Atomics.add(this.cells, VERSION, 1);
    Atomics.notify(this.cells, VERSION);
  }
}

/** Atomics.waitAsync (ES2024; Node 16+), which the project's ES2023 lib does not declare. */
interface AtomicsWaitAsync {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: false; value: string } | { async: true; value: Promise<string> };
}
