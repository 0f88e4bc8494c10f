// Pure maths for a fixed-row-height virtualised list: which rows to render for a scroll position, and which pages
// of rows (1-based, `perPage` rows each) those need. Rendering ~40 rows keeps 100k-row tables as fast as 100.

export interface VirtualWindowInput {
  readonly scrollTopPx: number;
  readonly viewportHeightPx: number;
  readonly rowHeightPx: number;
  readonly rowCount: number;
  /** Extra rows rendered above and below the viewport so fast scrolling shows no gaps. */
  readonly overscanRows: number;
}

export interface VirtualWindow {
  /** First row to render (inclusive). */
  readonly firstRow: number;
  /** One past the last row to render (exclusive); firstRow === endRow when there is nothing to render. */
  readonly endRow: number;
  /** Where the first rendered row sits, from the top of the full list. */
  readonly offsetTopPx: number;
  /** Height of the whole list (what the scrollbar measures). */
  readonly totalHeightPx: number;
}

export function computeVirtualWindow(input: VirtualWindowInput): VirtualWindow {
  const rowHeightPx = Math.max(1, input.rowHeightPx);
  const rowCount = Math.max(0, Math.floor(input.rowCount));
  const totalHeightPx = rowCount * rowHeightPx;
  const maxScroll = Math.max(0, totalHeightPx - input.viewportHeightPx);
  const scrollTopPx = Math.min(Math.max(0, input.scrollTopPx), maxScroll);
  const visibleFirst = Math.floor(scrollTopPx / rowHeightPx);
  const visibleEnd = Math.ceil((scrollTopPx + Math.max(0, input.viewportHeightPx)) / rowHeightPx);
  const firstRow = Math.max(0, visibleFirst - input.overscanRows);
  const endRow = Math.min(rowCount, visibleEnd + input.overscanRows);
  return { firstRow, endRow: Math.max(firstRow, endRow), offsetTopPx: firstRow * rowHeightPx, totalHeightPx };
}

/** The 1-based page numbers covering rows [firstRow, endRow). */
export function pagesForRows(firstRow: number, endRow: number, perPage: number): number[] {
  if (endRow <= firstRow || perPage <= 0) return [];
  const firstPage = Math.floor(firstRow / perPage) + 1;
  const lastPage = Math.floor((endRow - 1) / perPage) + 1;
  const pages: number[] = [];
  for (let page = firstPage; page <= lastPage; page++) pages.push(page);
  return pages;
}

/** Row `index` (0-based) lives on page floor(index / perPage) + 1 at position index % perPage. */
export function locateRow(index: number, perPage: number): { page: number; slot: number } {
  return { page: Math.floor(index / perPage) + 1, slot: index % perPage };
}
