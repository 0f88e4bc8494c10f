// Virtual list maths: the rendered window for a scroll position and the pages it needs.
import { describe, expect, it } from 'vitest';
import { computeVirtualWindow, locateRow, pagesForRows } from './virtualWindow';

describe('computeVirtualWindow', () => {
  const base = { rowHeightPx: 34, viewportHeightPx: 340, overscanRows: 5 };

  it('renders the visible rows plus overscan at the top', () => {
    expect(computeVirtualWindow({ ...base, scrollTopPx: 0, rowCount: 100_000 })).toEqual({ firstRow: 0, endRow: 15, offsetTopPx: 0, totalHeightPx: 3_400_000 });
  });

  it('renders about 20 rows anywhere in 100k rows', () => {
    const win = computeVirtualWindow({ ...base, scrollTopPx: 34 * 50_000 + 10, rowCount: 100_000 });
    expect(win.firstRow).toBe(49_995);
    expect(win.endRow).toBe(50_016);
    expect(win.offsetTopPx).toBe(49_995 * 34);
  });

  it('clamps a scroll past the end and handles tiny and empty lists', () => {
    const end = computeVirtualWindow({ ...base, scrollTopPx: 1e9, rowCount: 1000 });
    expect(end.endRow).toBe(1000);
    expect(end.firstRow).toBe(1000 - 10 - 5);
    expect(computeVirtualWindow({ ...base, scrollTopPx: 0, rowCount: 3 })).toMatchObject({ firstRow: 0, endRow: 3 });
    expect(computeVirtualWindow({ ...base, scrollTopPx: 50, rowCount: 0 })).toMatchObject({ firstRow: 0, endRow: 0, totalHeightPx: 0 });
  });
});

describe('pagesForRows / locateRow', () => {
  it('lists the 1-based pages covering a row range', () => {
    expect(pagesForRows(0, 15, 100)).toEqual([1]);
    expect(pagesForRows(95, 110, 100)).toEqual([1, 2]);
    expect(pagesForRows(100, 200, 100)).toEqual([2]);
    expect(pagesForRows(49_995, 50_016, 100)).toEqual([500, 501]);
    expect(pagesForRows(5, 5, 100)).toEqual([]);
  });

  it('finds a row on its page', () => {
    expect(locateRow(0, 100)).toEqual({ page: 1, slot: 0 });
    expect(locateRow(199, 100)).toEqual({ page: 2, slot: 99 });
    expect(locateRow(200, 100)).toEqual({ page: 3, slot: 0 });
  });
});
