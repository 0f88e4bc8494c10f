// The scan reducer: progress pushes, the finish, status snapshots and cancel requests.
import { describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src-preload/contract/api';
import type { ScanProgress, ScanSummary } from '../../src-preload/contract/library';
import { INITIAL_SCAN, reduceScan, scanFraction } from './scanReducer';

const progress = (filesDone: number, filesTotal: number, phase: ScanProgress['phase'] = 'indexing'): ScanProgress => ({
  phase,
  filesDone,
  filesTotal,
  currentFile: `/m/${filesDone}.mp3`,
  audioSecondsPerSecond: 120,
});
const summary = (cancelled = false): ScanSummary => ({
  added: 5,
  updated: 0,
  unchanged: 0,
  rebuilt: 0,
  moved: 0,
  removed: 0,
  duplicates: 0,
  failed: 1,
  cancelled,
  audioSeconds: 400,
  wallSeconds: 3,
});

describe('reduceScan', () => {
  it('runs while progress arrives and is done at the finish, with the bar full', () => {
    let state = reduceScan(INITIAL_SCAN, { type: 'progress', progress: progress(0, 0, 'walking') });
    expect(state.running).toBe(true);
    expect(scanFraction(state.progress)).toBe(0);
    state = reduceScan(state, { type: 'progress', progress: progress(3, 6) });
    expect(scanFraction(state.progress)).toBe(0.5);
    state = reduceScan(state, { type: 'finished', summary: summary() });
    expect(state.running).toBe(false);
    expect(state.lastSummary?.added).toBe(5);
    expect(state.progress?.phase).toBe('done');
    expect(state.progress?.filesDone).toBe(6);
    expect(scanFraction(state.progress)).toBe(1);
  });

  it('a cancelled finish keeps the files done so far', () => {
    let state = reduceScan(INITIAL_SCAN, { type: 'progress', progress: progress(2, 10) });
    state = reduceScan(state, { type: 'cancel-requested' });
    expect(state.cancelling).toBe(true);
    state = reduceScan(state, { type: 'finished', summary: summary(true) });
    expect(state).toMatchObject({ running: false, cancelling: false });
    expect(state.progress?.filesDone).toBe(2);
  });

  it('ignores a cancel request when nothing runs', () => {
    expect(reduceScan(INITIAL_SCAN, { type: 'cancel-requested' })).toBe(INITIAL_SCAN);
  });

  it('takes a running scan from a status snapshot (a page opened mid-scan) and stops running when the status says none', () => {
    const status = { scan: progress(4, 8), lastScan: null } as unknown as AppStatus;
    let state = reduceScan(INITIAL_SCAN, { type: 'status', status });
    expect(state.running).toBe(true);
    expect(state.progress?.filesDone).toBe(4);
    state = reduceScan(state, { type: 'status', status: { scan: null, lastScan: summary() } as unknown as AppStatus });
    expect(state.running).toBe(false);
    expect(state.lastSummary?.failed).toBe(1);
  });

  it('a "done" progress push waits for the summary: the previous summary is never shown as this scan\'s', () => {
    let state = reduceScan(INITIAL_SCAN, { type: 'finished', summary: summary() });
    state = reduceScan(state, { type: 'progress', progress: progress(2, 8) });
    state = reduceScan(state, { type: 'progress', progress: progress(8, 8, 'done') });
    expect(state.running).toBe(true); // ScanPanel hides lastSummary while running
    expect(scanFraction(state.progress)).toBe(1);
    const newer = { ...summary(), added: 8 };
    state = reduceScan(state, { type: 'finished', summary: newer });
    expect(state).toMatchObject({ running: false, lastSummary: newer });
  });

  it('a scan that ends without a summary (it failed: a folder deleted meanwhile) leaves the progress card as it was', () => {
    let state = reduceScan(INITIAL_SCAN, { type: 'progress', progress: progress(6, 6) });
    state = reduceScan(state, { type: 'finished', summary: summary() });
    const before = state.progress;
    state = reduceScan(state, { type: 'status', status: { scan: progress(0, 0, 'walking'), lastScan: summary() } as unknown as AppStatus });
    expect(state.running).toBe(true);
    state = reduceScan(state, { type: 'status', status: { scan: null, lastScan: summary() } as unknown as AppStatus });
    expect(state.running).toBe(false);
    expect(state.progress).toEqual(before);
    expect(state.progress?.filesTotal).toBe(6);
    expect(state.lastSummary).toEqual(summary());
  });

  it('a scan whose finish was missed (a reconnect) but whose summary the status carries is done, bar full', () => {
    let state = reduceScan(INITIAL_SCAN, { type: 'progress', progress: progress(3, 6) });
    const newer = { ...summary(), added: 6 };
    state = reduceScan(state, { type: 'status', status: { scan: null, lastScan: newer } as unknown as AppStatus });
    expect(state).toMatchObject({ running: false, lastSummary: newer });
    expect(scanFraction(state.progress)).toBe(1);
  });
});
