// Window size/position memory: restoreBounds (saved bounds + connected displays -> bounds) and the debounced,
// atomic writer.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { DEFAULT_SIZE, MIN_SIZE, WINDOW_STATE_FILE, createWindowStateWriter, readWindowState, restoreBounds } from './windowState.js';

const laptop = { x: 0, y: 0, width: 1920, height: 1040 };
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1400 };

describe('restoreBounds', () => {
  it('uses the default size, centred, when nothing (or garbage) was saved', () => {
    for (const saved of [
      null,
      undefined,
      42,
      'x',
      {},
      { x: 1, y: 2, width: -5, height: 10 },
      { x: NaN, y: 0, width: 800, height: 600 },
      { x: 0, y: 0, width: '800', height: 600 },
    ]) {
      expect(restoreBounds(saved, [laptop]), JSON.stringify(saved)).toEqual({ ...DEFAULT_SIZE, isMaximized: false });
    }
  });

  it('restores saved bounds on a connected display, including a secondary one', () => {
    expect(restoreBounds({ x: 100, y: 50, width: 1200, height: 800, isMaximized: false }, [laptop])).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
      isMaximized: false,
    });
    expect(restoreBounds({ x: 2200, y: 100, width: 1000, height: 700, isMaximized: true }, [laptop, rightMonitor])).toEqual({
      x: 2200,
      y: 100,
      width: 1000,
      height: 700,
      isMaximized: true,
    });
  });

  it('drops the position (keeps the size, capped to the primary display) when its display is gone or it is mostly off-screen', () => {
    // Saved on the right monitor, which is unplugged now.
    expect(restoreBounds({ x: 2200, y: 100, width: 2400, height: 1300, isMaximized: false }, [laptop])).toEqual({
      width: 1920,
      height: 1040,
      isMaximized: false,
    });
    // Only a 50 px sliver left on screen.
    expect(restoreBounds({ x: 1870, y: 100, width: 900, height: 700, isMaximized: false }, [laptop])).toEqual({ width: 900, height: 700, isMaximized: false });
    // Far above the screen.
    expect(restoreBounds({ x: 100, y: -5000, width: 900, height: 700 }, [laptop])).toEqual({ width: 900, height: 700, isMaximized: false });
  });

  it('never restores smaller than the minimum size', () => {
    expect(restoreBounds({ x: 10, y: 10, width: 200, height: 100 }, [laptop])).toMatchObject({ width: MIN_SIZE.width, height: MIN_SIZE.height });
  });
});

describe('window state file', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'window-state-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads null when absent or corrupt', () => {
    expect(readWindowState(path.join(dir, 'nowhere'))).toBeNull();
    writeFileSync(path.join(dir, WINDOW_STATE_FILE), '{not json');
    expect(readWindowState(dir)).toBeNull();
  });

  it('writes once per burst of changes (debounced), the latest state, and flushes on demand', async () => {
    vi.useFakeTimers();
    try {
      const sub = path.join(dir, 'burst');
      const writer = createWindowStateWriter(sub, 500);
      for (let i = 0; i < 20; i++) writer.save({ x: i, y: i, width: 800 + i, height: 600, isMaximized: false });
      expect(existsSync(path.join(sub, WINDOW_STATE_FILE))).toBe(false);
      await vi.advanceTimersByTimeAsync(499);
      expect(existsSync(path.join(sub, WINDOW_STATE_FILE))).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      vi.useRealTimers();
      await writer.flush();
      expect(readWindowState(sub)).toEqual({ x: 19, y: 19, width: 819, height: 600, isMaximized: false });
      writer.save({ x: 5, y: 6, width: 700, height: 500, isMaximized: true });
      await writer.flush(); // close: no waiting for the debounce
      expect(JSON.parse(readFileSync(path.join(sub, WINDOW_STATE_FILE), 'utf8'))).toEqual({ x: 5, y: 6, width: 700, height: 500, isMaximized: true });
    } finally {
      vi.useRealTimers();
    }
  });
});
